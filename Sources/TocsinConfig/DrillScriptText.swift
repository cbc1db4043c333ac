import TocsinCore

/// Reads a drill script (YAML): what goes wrong, and when, after the drill opens.
///
/// ```yaml
/// name: Ledger failover under pressure
/// injections:
///   - {after: 2m, inject: alert_fires, service: card-acquiring, summary: Card declines above 30%, severity: SEV1}
///   - {after: 10m, inject: trade_switch_fails}
/// ```
public enum DrillScriptText {
    /// The fields each injection may carry besides `after` and `inject`.
    static let fields: [DrillInjection.Kind: [String]] = [
        .alertFires: ["service", "summary", "severity"],
        .alertResolves: ["service"],
        .tradeSwitchFails: [],
        .operationFails: ["person", "action", "result"],
        .vendorSilent: ["person"],
    ]

    /// The script in `text`, named `file` in errors; people it names must be in `roster`.
    public static func parse(_ text: String, file: String = "drill script", roster: Roster) throws -> DrillScript {
        let root = try ConfigNode.parse(text, file: file).allowingOnly(["name", "injections"])
        guard root.exists else { throw root.error("the script is empty; give at least `injections:`") }
        let name = root["name"].exists ? try root["name"].string() : nil
        let injections = try root["injections"].items().map { node -> DrillInjection in
            let kindName = try node["inject"].string()
            guard let kind = DrillInjection.Kind(rawValue: kindName) else {
                throw node["inject"].error("expected one of \(DrillInjection.Kind.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(kindName)\"")
            }
            let node = try node.allowingOnly(["after", "inject"] + fields[kind]!)
            let after = try node["after"].duration()
            guard after >= .zero, after <= .seconds(7 * 86400) else { throw node["after"].error("expected a time within a week of the drill's start") }
            func optional(_ key: String) throws -> String? { node[key].exists ? try node[key].string() : nil }
            var severity: Severity?
            if let text = try optional("severity") {
                guard let value = Severity(name: text) else { throw node["severity"].error("expected SEV1, SEV2, SEV3 or SEV4, got \"\(text)\"") }
                severity = value
            }
            let person = try optional("person")
            if let person, roster.people[person] == nil { throw node["person"].error("there is no person \"\(person)\" in Contacts/") }
            return DrillInjection(after: Int(after.seconds), kind: kind, service: try optional("service"), summary: try optional("summary"), severity: severity,
                                  action: try optional("action"), result: try optional("result"), person: person)
        }
        return DrillScript(name: name, injections: injections.sorted { $0.after < $1.after })
    }
}
