/// A body that is JSON but not what the endpoint reads: a field missing, null or of the wrong
/// type, named by its path such as `alerts[2].labels`.
struct JSONShapeError: Error, CustomStringConvertible {
    enum Kind {
        case missing
        case null
        case wrongType(expected: String, found: String)
    }

    var kind: Kind
    /// From the top of the body to the offending value, such as `alerts[2].labels`; empty for
    /// the body itself.
    var path: String

    init(_ kind: Kind, at path: String = "") {
        self.kind = kind
        self.path = path
    }

    /// `found` is not the `expected` type; a null is reported as a null.
    init(expected: String, found: JSONValue) {
        if case .null = found {
            self.init(.null)
        } else {
            self.init(.wrongType(expected: expected, found: found.kind))
        }
    }

    /// The same error seen from the object holding it, under `key`.
    func within(_ key: String) -> JSONShapeError {
        JSONShapeError(kind, at: path.isEmpty || path.hasPrefix("[") ? key + path : key + "." + path)
    }

    /// The same error seen from the array holding it, at `index`.
    func within(index: Int) -> JSONShapeError {
        JSONShapeError(kind, at: path.isEmpty || path.hasPrefix("[") ? "[\(index)]" + path : "[\(index)]." + path)
    }

    /// The path, or "the body" when the body itself is at fault.
    var location: String { path.isEmpty ? "the body" : path }

    var description: String {
        switch kind {
        case .missing: "missing field \(location)."
        case .null: "field \(location) is null; give it a value."
        case .wrongType(let expected, let found): "wrong type at \(location): expected \(expected), not \(found)."
        }
    }
}
