/// Why a body is not JSON, and where: "expected ',' or '}' at byte 123".
struct JSONSyntaxError: Error, CustomStringConvertible {
    var problem: String
    /// Zero-based offset of the offending byte.
    var offset: Int
    var length: Int

    init(_ problem: String, at offset: Int, of length: Int) {
        self.problem = problem
        self.offset = offset
        self.length = length
    }

    var description: String {
        if offset < length { return "\(problem) at byte \(offset + 1)" }
        return length == 0 ? "the body is empty" : "\(problem), but the body ends after \(length) bytes"
    }
}
