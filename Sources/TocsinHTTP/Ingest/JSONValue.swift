/// A parsed request body, as `JSONReader` leaves it for the ingest endpoints to read.
///
/// Exists so ingest can skip `Codable`: an alert's fields are read straight out of this tree.
/// Numbers are kept as `Double`; no wire format Tocsin reads needs more than that.
enum JSONValue: Sendable {
    case object(JSONObject)
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// What a value is, for an error naming what was sent instead of what was expected.
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
