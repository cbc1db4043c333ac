/// Strings: escapes, surrogate pairs, and UTF-8 checked as the `String` is made.
extension JSONReader {
    /// A string, from its opening quote.
    mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return try text(UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), ascii: ascii, at: start)
            case UInt8(ascii: "\\"):
                return try escapedString(from: start)
            case 0..<0x20:
                throw failure("a control character in a string must be escaped")
            case 0x80...:
                ascii = false
                index += 1
            default:
                index += 1
            }
        }
        throw failure("expected '\"' to end the string")
    }

    /// The rest of a string from its first backslash on, escapes replaced.
    private mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var utf8 = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try utf8.withUnsafeBufferPointer { utf8 throws(JSONSyntaxError) in try text(utf8, ascii: false, at: start) }
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &utf8)
            case 0..<0x20:
                throw failure("a control character in a string must be escaped")
            default:
                utf8.append(byte)
                index += 1
            }
        }
        throw failure("expected '\"' to end the string")
    }

    /// Reads one escape, just after its backslash.
    private mutating func escape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        let replacement: UInt8
        switch peek {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): replacement = peek
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"): return try unicodeEscape(into: &utf8)
        default: throw failure("expected an escape such as \\n or \\u00e9 after '\\'")
        }
        utf8.append(replacement)
        index += 1
    }

    /// Reads a `\u` escape, with a second one for a surrogate pair, from the `u` on.
    private mutating func unicodeEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        let start = index - 1
        var unit = UInt32(try hexUnit())
        if (0xD800..<0xDC00).contains(unit), peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
            index += 1
            let low = UInt32(try hexUnit())
            if (0xDC00..<0xE000).contains(low) { unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00) }
        }
        guard let scalar = Unicode.Scalar(unit) else {
            throw JSONSyntaxError("a \\u escape of half a surrogate pair", at: start, of: bytes.count)
        }
        utf8.append(contentsOf: scalar.utf8)
    }

    /// The four hex digits after `\u`, with the index on the `u`.
    private mutating func hexUnit() throws(JSONSyntaxError) -> UInt16 {
        index += 1
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let digit: UInt8
            switch peek {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = peek - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = peek - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = peek - UInt8(ascii: "A") + 10
            default: throw failure("expected four hex digits after \\u")
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    /// The string these bytes spell; `ascii` says they are known to be ASCII, which needs no check.
    private func text(_ utf8: UnsafeBufferPointer<UInt8>, ascii: Bool, at start: Int) throws(JSONSyntaxError) -> String {
        if ascii { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw JSONSyntaxError("invalid UTF-8 in the string", at: start, of: bytes.count)
        }
        return text
    }
}
