import TocsinCore

extension ResponseRules {
    /// Rules with nobody to page, default severities and no policy steps: for tests of what the
    /// store records about alerts.
    static let quiet = ResponseRules(
        severity: SeverityRules(), escalation: EscalationPolicies(default: EscalationPolicy(steps: [], ackTimeout: nil)),
        roster: Roster(people: [], roles: [:]), runbooks: [],
        ackLinks: AckLinkSigner(secret: "a-secret-of-enough-length", lifetime: .seconds(600)), publicURL: "http://127.0.0.1:0"
    )
}
