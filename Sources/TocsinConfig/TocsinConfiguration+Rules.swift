import TocsinCore

extension TocsinConfiguration {
    /// The rules the store and engine apply, built from this configuration.
    public var responseRules: ResponseRules {
        ResponseRules(
            severity: severityRules, escalation: escalationPolicy, roster: roster, runbooks: runbooks,
            ackLinks: AckLinkSigner(secret: ackLinkSecret, lifetime: ackLinkLifetime), publicURL: publicURL,
            procedure: procedure
        )
    }
}
