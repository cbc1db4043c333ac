import Foundation

/// The JSON text the record stores: flat maps and lists of strings written by hand, as
/// `JSONEncoder` would write them with sorted keys, because every alert and event stores some.
package enum JSONText {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    package static let decoder = JSONDecoder()

    /// Reads a flat JSON object of strings, such as an event's detail.
    package static func stringMap(_ text: String) throws -> [String: String] {
        try read(text, as: [String: String].self, expected: "a JSON object of strings")
    }

    /// Reads a JSON array of strings, such as who must still acknowledge a step.
    package static func stringList(_ text: String) throws -> [String] {
        text == "[]" ? [] : try read(text, as: [String].self, expected: "a JSON array of strings")
    }

    private static func read<T>(_ text: String, as type: T.Type, expected: String) throws -> T {
        guard let value = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? T else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "expected \(expected): \(text.prefix(80))"))
        }
        return value
    }

    package static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A flat object of strings (labels, an event's detail) with sorted keys, written by hand:
    /// every alert stores two, and `JSONEncoder` costs more than the rest of the insert.
    package static func encode(_ map: [String: String]) -> String {
        var text = "{"
        for (index, entry) in map.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if index > 0 { text += "," }
            appendQuoted(entry.key, to: &text)
            text += ":"
            appendQuoted(entry.value, to: &text)
        }
        return text + "}"
    }

    /// An array of strings, written by hand like `encode(_:)` for a map.
    package static func encode(_ list: [String]) -> String {
        var text = "["
        for (index, value) in list.enumerated() {
            if index > 0 { text += "," }
            appendQuoted(value, to: &text)
        }
        return text + "]"
    }

    /// `value` as a JSON string, escaped as `JSONEncoder` escapes it.
    package static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        defer { text += "\"" }
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            return text += value
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case _ where scalar.value < 0x20:
                text += "\\u00" + String(repeating: "0", count: scalar.value < 0x10 ? 1 : 0) + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}
