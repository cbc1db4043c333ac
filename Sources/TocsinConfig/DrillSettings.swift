import TocsinCore

/// Reads the `drills:` section: where a drill's trade-switch calls go, and the scorecard's targets.
enum DrillSettings {
    static func load(_ node: ConfigNode) throws -> DrillRules {
        let node = try node.allowingOnly(["trade_switch_url", "targets"])
        let defaults = ScorecardTargets()
        let targets = try node["targets"].allowingOnly(["acknowledge", "root_cause", "bulletin", "business"])
        var acknowledge = defaults.acknowledge
        for (name, value) in try targets["acknowledge"].entries() {
            guard let role = IncidentRole(rawValue: name) else {
                throw value.error("expected one of \(IncidentRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            acknowledge[role] = try value.duration()
        }
        var cadences = defaults.cadences
        for kind in [UpdateKind.bulletin, .business] where targets[kind.rawValue].exists {
            cadences[kind] = try targets[kind.rawValue].duration()
        }
        var url: String?
        if node["trade_switch_url"].exists {
            let text = try node["trade_switch_url"].string()
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
                throw node["trade_switch_url"].error("expected an http:// or https:// URL, got \"\(text)\"")
            }
            url = text
        }
        return DrillRules(tradeSwitchURL: url,
                          targets: ScorecardTargets(acknowledge: acknowledge, rootCause: try targets["root_cause"].duration(default: defaults.rootCause), cadences: cadences))
    }
}
