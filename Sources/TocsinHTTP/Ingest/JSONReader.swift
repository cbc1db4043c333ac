import Foundation

/// Parses a request body (RFC 8259 JSON, UTF-8) into a `JSONValue`, working on the bytes.
///
/// Ingest reads bodies with this rather than `JSONDecoder`, which was the largest single
/// cost of taking an alert. It accepts only valid JSON: invalid UTF-8, unescaped control
/// characters, leading zeros, a key given twice in one object and anything after the value are
/// refused, and nesting is bounded so a hostile body cannot exhaust the stack.
struct JSONReader {
    static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes.assumingMemoryBound(to: UInt8.self)
    }

    static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        try data.withUnsafeBytes { bytes in
            Result { () throws(JSONSyntaxError) in
                var reader = JSONReader(bytes)
                return try reader.document()
            }
        }.get()
    }

    private mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try value()
        skipWhitespace()
        guard index == bytes.count else { throw failure("expected the end of the body") }
        return value
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        switch peek {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw failure("expected a value")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            return leave(.object(JSONObject(fields: [])))
        }
        // Room for an alert's fields in one allocation.
        var fields: [(key: String, value: JSONValue)] = []
        fields.reserveCapacity(8)
        // Keys seen, once an object has more than a few: a long object is not read in quadratic time.
        var seen: Set<String> = []
        while true {
            guard peek == UInt8(ascii: "\"") else {
                throw failure(fields.isEmpty ? "expected a string key or '}'" : "expected a string key")
            }
            let keyStart = index
            let key = try string()
            if fields.count > 8 {
                if seen.isEmpty { seen = Set(fields.map(\.key)) }
                guard seen.insert(key).inserted else { throw JSONSyntaxError("the key \"\(key)\" appears twice", at: keyStart, of: bytes.count) }
            } else if fields.contains(where: { $0.key == key }) {
                throw JSONSyntaxError("the key \"\(key)\" appears twice", at: keyStart, of: bytes.count)
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw failure("expected ':' after the key") }
            index += 1
            skipWhitespace()
            fields.append((key, try value()))
            if try endOfMembers(closedBy: "}") { return leave(.object(JSONObject(fields: fields))) }
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            return leave(.array([]))
        }
        var items: [JSONValue] = []
        while true {
            items.append(try value())
            if try endOfMembers(closedBy: "]") { return leave(.array(items)) }
        }
    }

    /// After a member of an object or array: steps over a ',' and says more follow, or stops at
    /// the closing bracket and says the members ended.
    private mutating func endOfMembers(closedBy closing: Unicode.Scalar) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return false
        case UInt8(ascii: closing):
            return true
        default:
            throw failure("expected ',' or '\(closing)'")
        }
    }

    /// Steps over an opening bracket, one level deeper.
    private mutating func enter() throws(JSONSyntaxError) {
        guard depth < Self.maxDepth else { throw failure("arrays and objects nested more than \(Self.maxDepth) deep") }
        depth += 1
        index += 1
    }

    /// Steps over a closing bracket, back up a level.
    private mutating func leave(_ value: JSONValue) -> JSONValue {
        depth -= 1
        index += 1
        return value
    }

    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
            if isDigit(peek) { throw JSONSyntaxError("a number with a leading zero", at: start, of: bytes.count) }
        } else {
            try digits()
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        guard let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)), number.isFinite else {
            throw JSONSyntaxError("a number too large", at: start, of: bytes.count)
        }
        return number
    }

    private mutating func digits() throws(JSONSyntaxError) {
        guard isDigit(peek) else { throw failure("expected a digit") }
        while isDigit(peek) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
              UnsafeBufferPointer(start: word.utf8Start, count: length).elementsEqual(bytes[index..<index + length]) else {
            throw failure("expected a value")
        }
        index += length
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The byte at the index; 0 past the end, which no rule accepts.
    var peek: UInt8 {
        index < bytes.count ? bytes[index] : 0
    }

    func failure(_ expected: String) -> JSONSyntaxError {
        JSONSyntaxError(expected, at: index, of: bytes.count)
    }
}
