import Foundation

/// A console form's fields as the JSON body the incident API takes for the same action, so
/// the form's command is read, checked and refused by exactly the API's rules.
enum FormCommand {
    static let lists: Set<String> = ["affected_services", "channels", "banks"]
    static let lines: Set<String> = ["follow_ups"]
    static let numbers: Set<String> = ["affected_transactions", "discrepancies_found", "discrepancies_resolved", "step"]
    static let flags: Set<String> = ["all_business_affected"]

    /// The body for `action`; fields the action does not take (the CSRF token) are left out,
    /// and so are empty ones, as a person leaves an optional field blank.
    static func body(action: String, fields: FormFields) -> Data {
        let allowed = ProcedureCommandDecoding.fields[action] ?? []
        var object: [String: Any] = [:]
        for name in allowed {
            if flags.contains(name) {
                object[name] = fields[name] == "true"
                continue
            }
            guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { continue }
            if lists.contains(name) {
                object[name] = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } else if lines.contains(name) {
                object[name] = value.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } else if numbers.contains(name), let number = Int(value) {
                object[name] = number
            } else {
                object[name] = value
            }
        }
        return (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
    }
}
