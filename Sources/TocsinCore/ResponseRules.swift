import Foundation

/// The configured rules an incident is handled by: how alerts are classified, whom to
/// page and how, and which runbook applies.
public struct ResponseRules: Sendable {
    public var severity: SeverityRules
    public var escalation: EscalationPolicy
    public var roster: Roster
    public var runbooks: [Runbook]
    public var ackLinks: AckLinkSigner
    /// Base URL put in acknowledge links.
    public var publicURL: String
    /// Clocks, cadences and notices of the emergency procedure.
    public var procedure: ProcedureRules

    public init(severity: SeverityRules, escalation: EscalationPolicy, roster: Roster, runbooks: [Runbook], ackLinks: AckLinkSigner, publicURL: String,
                procedure: ProcedureRules = ProcedureRules()) {
        self.procedure = procedure
        self.severity = severity
        self.escalation = escalation
        self.roster = roster
        self.runbooks = runbooks
        self.ackLinks = ackLinks
        self.publicURL = publicURL
    }
}
