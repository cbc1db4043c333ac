import Foundation

/// What has been recorded on an incident as it moves through the emergency procedure.
///
/// Each stage has facts that must be on record before the incident may leave it (the
/// plan's table); this is where they live. It is a plain value: `Procedure` decides what
/// may change, the store keeps it beside the incident.
public struct ProcedureRecord: Sendable, Hashable, Codable {
    public var roles = IncidentRoles()
    public var assessment: Assessment?
    public var stopTrading: StopTrading?
    public var tradingStopped = false
    public var tradingResumedAt: Date?
    public var plan: RecoveryPlan?
    public var operations: [Operation] = []
    public var serviceRestoredAt: Date?
    public var reconciliation = Reconciliation()
    public var closing: Closing?
    /// Runbook step index → who ticked it.
    public var checklist: [Int: ChecklistTick] = [:]
    /// When the incident entered `assessing`, which starts the root-cause clock.
    public var assessingSince: Date?

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case roles, assessment, stopTrading = "stop_trading", tradingStopped = "trading_stopped", tradingResumedAt = "trading_resumed_at"
        case plan, operations, serviceRestoredAt = "service_restored_at", reconciliation, closing, checklist
        case assessingSince = "assessing_since"
    }
}

/// Who does what on this incident, filled from the on-call roles when it opens.
public struct IncidentRoles: Sendable, Hashable, Codable {
    public var commander: String?
    public var coordinator: String?
    public var businessLead: String?
    public var executors: [String] = []

    public init(commander: String? = nil, coordinator: String? = nil, businessLead: String? = nil, executors: [String] = []) {
        self.commander = commander
        self.coordinator = coordinator
        self.businessLead = businessLead
        self.executors = executors
    }

    /// Fills the incident's roles from who is on call at `instant`: the primaries (and, for
    /// executors, both holders), through rotations and stand-ins.
    public init(from roster: Roster, at instant: Date) {
        commander = roster.person(holding: .faultAnalyst, as: .primary, at: instant)?.id
        coordinator = roster.person(holding: .technicalCoordinator, as: .primary, at: instant)?.id
        businessLead = roster.person(holding: .business, as: .primary, at: instant)?.id
        executors = [Holder.primary, .backup].compactMap { roster.person(holding: .technicalExecutors, as: $0, at: instant)?.id }
    }

    private enum CodingKeys: String, CodingKey { case commander, coordinator, businessLead = "business_lead", executors }
}

/// The commander's first view of the fault, required to leave `assessing`.
public struct Assessment: Sendable, Hashable, Codable {
    /// When the fault really started, which can be well before the first alert.
    public var faultStartedAt: Date
    public var scope: String
    /// How the impact is spreading.
    public var spread: String
    public var affectedServices: [String]
    public var allBusinessAffected: Bool
    public var initialCause: String?
    public var recordedBy: String

    public init(faultStartedAt: Date, scope: String, spread: String, affectedServices: [String], allBusinessAffected: Bool, initialCause: String?, recordedBy: String) {
        self.faultStartedAt = faultStartedAt
        self.scope = scope
        self.spread = spread
        self.affectedServices = affectedServices
        self.allBusinessAffected = allBusinessAffected
        self.initialCause = initialCause
        self.recordedBy = recordedBy
    }

    private enum CodingKeys: String, CodingKey {
        case faultStartedAt = "fault_started_at", scope, spread, affectedServices = "affected_services"
        case allBusinessAffected = "all_business_affected", initialCause = "initial_cause", recordedBy = "recorded_by"
    }
}

/// A proposal to halt trading and, once a second person approves it, the order.
public struct StopTrading: Sendable, Hashable, Codable {
    public var proposedBy: String
    public var proposedAt: Date
    /// What is to be stopped: all trading, or named channels.
    public var what: String
    /// Why, when not all business is affected (an explicit override).
    public var overrideReason: String?
    public var approvedBy: String?
    public var approvedAt: Date?

    private enum CodingKeys: String, CodingKey {
        case proposedBy = "proposed_by", proposedAt = "proposed_at", what, overrideReason = "override_reason"
        case approvedBy = "approved_by", approvedAt = "approved_at"
    }
}

/// Root cause and how service will be restored.
public struct RecoveryPlan: Sendable, Hashable, Codable {
    public var rootCause: String
    public var steps: String
    public var recordedBy: String
    public var recordedAt: Date
    /// A leadership member, or `runbook` when the scenario is pre-authorized.
    public var approvedBy: String?

    private enum CodingKeys: String, CodingKey {
        case rootCause = "root_cause", steps, recordedBy = "recorded_by", recordedAt = "recorded_at", approvedBy = "approved_by"
    }
}

/// One operation an executor carried out, and what came of it.
public struct Operation: Sendable, Hashable, Codable {
    public var by: String
    public var at: Date
    public var action: String
    public var result: String
}

/// The money side: what the fault touched and whether the books agree again.
public struct Reconciliation: Sendable, Hashable, Codable {
    public var affectedTransactions = 0
    /// Minor units are not assumed; the amount is kept as written, e.g. "125000.50".
    public var amount: String?
    public var currency: String?
    public var channels: [String] = []
    public var banks: [String] = []
    public var discrepanciesFound = 0
    public var discrepanciesResolved = 0
    /// Leadership's signed-off exception for discrepancies that stay open.
    public var exception: SignedException?

    public init() {}

    public var openDiscrepancies: Int { max(0, discrepanciesFound - discrepanciesResolved) }

    private enum CodingKeys: String, CodingKey {
        case affectedTransactions = "affected_transactions", amount, currency, channels, banks
        case discrepanciesFound = "discrepancies_found", discrepanciesResolved = "discrepancies_resolved", exception
    }
}

/// Leadership's acceptance that some discrepancies stay open, and why.
public struct SignedException: Sendable, Hashable, Codable {
    public var by: String
    public var at: Date
    public var reason: String
}

/// What closing an incident requires.
public struct Closing: Sendable, Hashable, Codable {
    public var summary: String
    public var followUps: [String]

    public init(summary: String, followUps: [String]) {
        self.summary = summary
        self.followUps = followUps
    }

    private enum CodingKeys: String, CodingKey { case summary, followUps = "follow_ups" }
}

/// Who ticked a runbook step, and when.
public struct ChecklistTick: Sendable, Hashable, Codable {
    public var by: String
    public var at: Date
}
