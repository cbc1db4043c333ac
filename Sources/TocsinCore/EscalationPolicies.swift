/// The escalation policy for each severity.
///
/// A SEV1 usually pages more people sooner than a SEV3; a severity without its own policy
/// uses the default one.
public struct EscalationPolicies: Sendable, Hashable {
    public var defaultPolicy: EscalationPolicy
    public var bySeverity: [Severity: EscalationPolicy]

    public init(default defaultPolicy: EscalationPolicy, bySeverity: [Severity: EscalationPolicy] = [:]) {
        self.defaultPolicy = defaultPolicy
        self.bySeverity = bySeverity
    }

    /// The policy an incident of `severity` is escalated by.
    public func policy(for severity: Severity) -> EscalationPolicy {
        bySeverity[severity] ?? defaultPolicy
    }

    /// Every policy with the name config uses for it: `default`, `SEV1`…
    public var named: [(name: String, policy: EscalationPolicy)] {
        [("default", defaultPolicy)] + Severity.allCases.compactMap { severity in bySeverity[severity].map { (severity.description, $0) } }
    }
}
