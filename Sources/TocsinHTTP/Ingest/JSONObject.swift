/// A JSON object's fields in the order they were sent, read by name with typed access.
///
/// A list rather than a `Dictionary`: payloads have a handful of fields, and comparing a few
/// keys costs less than hashing every key of every alert. A key sent twice counts with its
/// last value, as with most JSON readers.
struct JSONObject: Sendable {
    var fields: [(key: String, value: JSONValue)]

    init(fields: [(key: String, value: JSONValue)]) {
        self.fields = fields
    }

    /// The object `json` is, or a shape error.
    init(_ json: JSONValue) throws(JSONShapeError) {
        guard case .object(let object) = json else { throw JSONShapeError(expected: "an object", found: json) }
        self = object
    }

    subscript(key: String) -> JSONValue? {
        fields.last { $0.key == key }?.value
    }

    /// The field `key`, which must be present and not null.
    func required<T: JSONReadable>(_ key: String) throws(JSONShapeError) -> T {
        guard let value = self[key] else { throw JSONShapeError(.missing, at: key) }
        do {
            return try T(json: value)
        } catch {
            throw error.within(key)
        }
    }

    /// The field `key`, or nil when it is absent or null.
    func optional<T: JSONReadable>(_ key: String) throws(JSONShapeError) -> T? {
        guard let value = self[key] else { return nil }
        if case .null = value { return nil }
        do {
            return try T(json: value)
        } catch {
            throw error.within(key)
        }
    }
}
