import Foundation
import TocsinCore

/// A procedure command's JSON body, read field by field so each refusal names the field.
///
/// Strict like Tocsin's alert format: an unknown field is refused by name.
struct CommandBody {
    let fields: [String: Any]

    init(_ data: Data, allowed: [String]) throws {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            fields = [:]
        } else {
            _ = try IngestEndpoint.parse(data)
            guard let object = try? JSONSerialization.jsonObject(with: data) else {
                throw Problem.badRequest("The body is not valid JSON.")
            }
            guard let dictionary = object as? [String: Any] else { throw Problem.badRequest("The body must be a JSON object.") }
            fields = dictionary
        }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            let known = allowed.isEmpty ? "this action takes no fields" : "this action takes: \(allowed.joined(separator: ", "))"
            throw Problem.badRequest("Unknown field \"\(unknown)\"; \(known).")
        }
    }

    func string(_ name: String) throws -> String {
        guard let value = try optionalString(name) else { throw Problem.badRequest("Missing field \(name).") }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        guard let raw = fields[name], !(raw is NSNull) else { return nil }
        guard let value = raw as? String else { throw Problem.badRequest("Field \(name) must be a string.") }
        return value
    }

    func int(_ name: String) throws -> Int {
        guard let value = try optionalInt(name) else { throw Problem.badRequest("Missing field \(name).") }
        return value
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let raw = fields[name], !(raw is NSNull) else { return nil }
        guard let number = raw as? NSNumber, !Self.isBoolean(raw), number.doubleValue == number.doubleValue.rounded() else {
            throw Problem.badRequest("Field \(name) must be a whole number.")
        }
        return number.intValue
    }

    func bool(_ name: String) throws -> Bool {
        guard let raw = fields[name] else { throw Problem.badRequest("Missing field \(name) (true or false).") }
        guard Self.isBoolean(raw), let value = raw as? Bool else { throw Problem.badRequest("Field \(name) must be true or false.") }
        return value
    }

    /// JSONSerialization gives numbers and booleans alike as NSNumber, and `1 as? Bool`
    /// succeeds; only `true`/`false` arrive as the boolean subclass.
    private static func isBoolean(_ raw: Any) -> Bool {
        raw is Bool && type(of: raw) != NSNumber.self
    }

    func optionalStrings(_ name: String) throws -> [String]? {
        guard let raw = fields[name], !(raw is NSNull) else { return nil }
        guard let values = raw as? [String] else { throw Problem.badRequest("Field \(name) must be a list of strings.") }
        return values
    }

    func time(_ name: String) throws -> Date {
        let text = try string(name)
        guard let date = UTCTime.date(text) else { throw Problem.badRequest("Field \(name) is \"\(text)\"; expected an ISO 8601 time such as 2026-11-21T10:00:00Z.") }
        return date
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, of type: T.Type) throws -> T where T.RawValue == String {
        let text = try string(name)
        guard let value = T(rawValue: text) else {
            throw Problem.badRequest("Field \(name) is \"\(text)\"; expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }
}
