import Foundation

/// The configured rules an incident is handled by: how alerts are classified, whom to
/// page and how, and which runbook applies.
public struct ResponseRules: Sendable {
    public var severity: SeverityRules
    public var escalation: EscalationPolicies
    public var roster: Roster
    public var runbooks: [Runbook]
    public var ackLinks: AckLinkSigner
    /// Base URL put in acknowledge links.
    public var publicURL: String
    /// Retries and rate limits of page delivery.
    public var paging: PagingRules
    /// Clocks, cadences and notices of the emergency procedure.
    public var procedure: ProcedureRules
    /// Where drills' trade-switch calls go and what their scorecards measure against.
    public var drills = DrillRules()
    /// What is archived and removed from the database, and when; nil keeps everything.
    public var retention: Retention?
    /// How shift handovers are timed.
    public var handover = HandoverRules()

    public init(severity: SeverityRules, escalation: EscalationPolicies, roster: Roster, runbooks: [Runbook], ackLinks: AckLinkSigner,
                publicURL: String, paging: PagingRules = PagingRules(), procedure: ProcedureRules = ProcedureRules()) {
        self.procedure = procedure
        self.severity = severity
        self.escalation = escalation
        self.roster = roster
        self.runbooks = runbooks
        self.ackLinks = ackLinks
        self.publicURL = publicURL
        self.paging = paging
    }
}

/// How the outbox treats pages once queued: retries, and the rate limit after which a
/// person's pages are bundled.
public struct PagingRules: Sendable, Hashable {
    public var retry: RetrySchedule
    /// The rate limit of a destination whose contact method sets none.
    public var rateLimit: RateLimit

    public init(retry: RetrySchedule = RetrySchedule(), rateLimit: RateLimit = RateLimit(messages: 6, per: .seconds(60))) {
        self.retry = retry
        self.rateLimit = rateLimit
    }
}
