import TocsinCore

/// Reads `escalation:` in `tocsin.yaml`.
///
/// Three forms, the first being the original one:
/// - a list of steps: one policy for every severity;
/// - a mapping with `steps` and the options `repeat`, `repeat_after`, `ack_timeout`;
/// - a mapping from `default` and `SEV1`…`SEV4` to either of the above.
///
/// A step is `{after: 5m, page: [fault_analyst.backup, rotation:dbas, person:li.na], everyone_must_ack: false}`.
enum EscalationPolicyText {
    static let policyKeys = ["steps", "repeat", "repeat_after", "ack_timeout"]

    static func parse(_ node: ConfigNode, roster: Roster) throws -> EscalationPolicies {
        guard node.exists else { throw node.error("missing; at least one escalation step is required") }
        if node.node?.sequence != nil || node["steps"].exists {
            return EscalationPolicies(default: try policy(node, roster: roster))
        }
        let names = ["default"] + Severity.allCases.map(\.description)
        let node = try node.allowingOnly(names)
        guard node["default"].exists else {
            throw node.error("per-severity policies need a `default` for the severities not listed")
        }
        var bySeverity: [Severity: EscalationPolicy] = [:]
        for severity in Severity.allCases where node[severity.description].exists {
            bySeverity[severity] = try policy(node[severity.description], roster: roster)
        }
        return EscalationPolicies(default: try policy(node["default"], roster: roster), bySeverity: bySeverity)
    }

    static func policy(_ node: ConfigNode, roster: Roster) throws -> EscalationPolicy {
        let stepsNode: ConfigNode
        var options: ConfigNode?
        if node.node?.sequence != nil {
            stepsNode = node
        } else {
            let mapping = try node.allowingOnly(policyKeys)
            stepsNode = mapping["steps"]
            options = mapping
        }
        let steps = try stepsNode.items().map { item -> EscalationStep in
            let item = try item.allowingOnly(["after", "page", "everyone_must_ack"])
            let targets = try item["page"].items().map { try EscalationTargetText.parse($0, roster: roster) }
            guard !targets.isEmpty else { throw item["page"].error("a step must page at least one role, rotation or person") }
            return EscalationStep(delay: try item["after"].duration(), targets: targets,
                                  everyoneMustAcknowledge: try item["everyone_must_ack"].bool(default: false))
        }
        guard !steps.isEmpty else { throw stepsNode.error("missing; at least one escalation step is required") }
        guard let options else { return EscalationPolicy(steps: steps) }
        let repeatCount = try options["repeat"].int(default: 0)
        guard (0...100).contains(repeatCount) else { throw options["repeat"].error("expected 0 to 100 repeats, got \(repeatCount)") }
        var ackTimeout: Duration? = EscalationPolicy.defaultAckTimeout
        if options["ack_timeout"].exists {
            if try options["ack_timeout"].string() == "none" {
                ackTimeout = nil
            } else {
                ackTimeout = try options["ack_timeout"].duration()
                guard ackTimeout! > .zero else { throw options["ack_timeout"].error("must be longer than 0s; write `none` to turn it off") }
            }
        }
        let repeatAfter = options["repeat_after"].exists ? try options["repeat_after"].duration() : nil
        return EscalationPolicy(steps: steps, repeatCount: repeatCount, repeatAfter: repeatAfter, ackTimeout: ackTimeout)
    }
}

/// Reads an escalation step's target and checks that it names someone in Contacts/.
enum EscalationTargetText {
    static func parse(_ node: ConfigNode, roster: Roster) throws -> EscalationTarget {
        let text = try node.string()
        guard let target = EscalationTarget(text: text) else {
            throw node.error("expected ROLE.primary, ROLE.backup, person:ID or rotation:ID, got \"\(text)\"")
        }
        switch target {
        case .person(let id) where roster.people[id] == nil:
            throw node.error("no person \"\(id)\" in Contacts/")
        case .rotation(let id) where roster.rotations[id] == nil:
            throw node.error("no rotation \"\(id)\" in Contacts/rotations.yaml; known rotations: \(roster.rotations.keys.sorted().joined(separator: ", "))")
        case .role(let role, _) where roster.roles[role] == nil:
            throw node.error("no role \"\(role)\" in Contacts/; known roles: \(roster.roles.keys.sorted().map(\.rawValue).joined(separator: ", "))")
        default:
            return target
        }
    }
}
