import TocsinCore

extension TocsinConfiguration {
    /// The rules the store and engine apply, built from this configuration.
    public var responseRules: ResponseRules {
        var rules = ResponseRules(
            severity: severityRules, escalation: escalationPolicies, roster: roster, runbooks: runbooks,
            ackLinks: AckLinkSigner(secret: ackLinkSecret, lifetime: ackLinkLifetime), publicURL: publicURL, paging: paging,
            procedure: procedure
        )
        rules.drills = drills
        rules.retention = retention
        rules.handover = handover
        return rules
    }
}
