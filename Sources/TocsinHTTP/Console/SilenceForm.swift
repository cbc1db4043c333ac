import Foundation

/// The console's silence form as the JSON body `POST /api/v1/silences` takes, so a silence
/// made in the console is read, checked and refused by exactly the API's rules.
///
/// Matchers are typed one a line as Alertmanager writes them: `name=value`, `name!=value`,
/// `name=~regex`, `name!~regex`, the value optionally in double quotes.
enum SilenceForm {
    static func body(_ fields: FormFields) throws -> Data {
        let lines = (fields["matchers"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let matchers = try lines.map(matcher)
        var object: [String: Any] = ["matchers": matchers, "comment": fields["comment"] ?? ""]
        for name in ["starts_at", "ends_at"] {
            if let value = fields[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { object[name] = value }
        }
        return try JSONSerialization.data(withJSONObject: object)
    }

    private static func matcher(_ line: String) throws -> [String: Any] {
        for (op, regex, equal) in [("!~", true, false), ("=~", true, true), ("!=", false, false), ("=", false, true)] {
            guard let range = line.range(of: op) else { continue }
            let name = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            var value = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return ["name": name, "value": value, "regex": regex, "equal": equal]
        }
        throw Problem.badRequest("\"\(line)\" is not a matcher; write name=value, name!=value, name=~regex or name!~regex.")
    }
}
