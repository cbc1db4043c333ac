import TocsinCore

/// Reads the `procedure:` section: deadlines, update cadences per severity, notices and
/// the platform's trade switch.
enum ProcedureSettings {
    static func load(_ node: ConfigNode, roster: Roster, environment: [String: String]) throws -> ProcedureRules {
        let node = try node.allowingOnly(["assessment_deadline", "regulatory_report_within", "reminder_before", "missed_grace", "cadences", "stage_notices", "trade_switch", "regulatory"])
        let defaults = ProcedureRules()
        var cadences: [Severity: [UpdateKind: Duration]] = [:]
        var defaultCadences = defaults.defaultCadences
        for (name, value) in try node["cadences"].entries() {
            let value = try value.allowingOnly(["bulletin", "business"])
            var table: [UpdateKind: Duration] = [:]
            for kind in [UpdateKind.bulletin, .business] where value[kind.rawValue].exists {
                table[kind] = try value[kind.rawValue].duration()
            }
            if name == "default" {
                defaultCadences = table
            } else if let severity = Severity(name: name) {
                cadences[severity] = table
            } else {
                throw value.error("expected `default` or a severity SEV1…SEV4 here")
            }
        }
        var tradeSwitch: TradeSwitch?
        let switchNode = try node["trade_switch"].allowingOnly(["stop_url", "resume_url", "token_env"])
        if switchNode.exists {
            var token: String?
            if switchNode["token_env"].exists {
                let name = try switchNode["token_env"].string()
                guard let value = environment[name], !value.isEmpty else { throw switchNode["token_env"].error("environment variable \(name) is not set") }
                token = value
            }
            tradeSwitch = TradeSwitch(stopURL: try url(switchNode["stop_url"]), resumeURL: try url(switchNode["resume_url"]), token: token)
        }
        let notices = node["stage_notices"].exists
            ? try node["stage_notices"].items().map { try EscalationTargetText.parse($0, roster: roster) }
            : defaults.stageNotices
        let upwardWithin = node["regulatory_report_within"].exists ? try node["regulatory_report_within"].duration() : defaults.regulatoryReportWithin
        let regulatory = try RegulatorySettings.load(node["regulatory"])
        return ProcedureRules(
            assessmentDeadline: try node["assessment_deadline"].duration(default: defaults.assessmentDeadline),
            cadences: cadences,
            defaultCadences: defaultCadences,
            regulatoryReportWithin: regulatory.upward ? upwardWithin : nil,
            reminderLead: try node["reminder_before"].duration(default: defaults.reminderLead),
            missedGrace: try node["missed_grace"].duration(default: defaults.missedGrace),
            stageNotices: notices,
            tradeSwitch: tradeSwitch,
            regimes: regulatory.regimes
        )
    }

    private static func url(_ node: ConfigNode) throws -> String {
        let text = try node.string()
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else { throw node.error("expected an http:// or https:// URL, got \"\(text)\"") }
        return text
    }
}
