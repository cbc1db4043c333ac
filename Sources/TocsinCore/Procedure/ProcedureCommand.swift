import Foundation

/// Something a person asks of an incident in the emergency procedure.
public enum ProcedureCommand: Sendable, Hashable {
    /// Move to the next stage. `trading_stopped` is entered only through `approveStopTrading`.
    case advance(to: Stage, closing: Closing?)
    case assess(Assessment)
    case proposeStopTrading(what: String, overrideReason: String?)
    /// The second person's yes; the stop-trade call follows.
    case approveStopTrading
    /// The platform's answer to the stop-trade (or resume-trade) call.
    case recordTradeSwitch(stop: Bool, succeeded: Bool, answer: String)
    case recordPlan(rootCause: String, steps: String)
    case approvePlan
    case recordOperation(action: String, result: String)
    case markServiceRestored
    /// Ask for trading to resume; the resume-trade call follows.
    case resumeTrading
    case postUpdate(UpdateKind, text: String)
    case note(String)
    case reconcile(ReconciliationFigures)
    case signOffException(reason: String)
    case handover(IncidentRole, to: String)
    case tickChecklist(step: Int)

    /// The action's name in the API path and on the CLI.
    public var name: String {
        switch self {
        case .advance: "advance"
        case .assess: "assess"
        case .proposeStopTrading: "stop-trading"
        case .approveStopTrading: "approve-stop-trading"
        case .recordTradeSwitch: "trade-switch"
        case .recordPlan: "plan"
        case .approvePlan: "approve-plan"
        case .recordOperation: "op"
        case .markServiceRestored: "service-restored"
        case .resumeTrading: "resume-trading"
        case .postUpdate: "update"
        case .note: "note"
        case .reconcile: "reconcile"
        case .signOffException: "sign-off"
        case .handover: "handover"
        case .tickChecklist: "checklist"
        }
    }
}

/// The regular reports the plan asks for, each owed by a role on a cadence.
public enum UpdateKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The technical coordinator's status bulletin.
    case bulletin
    /// The business group's update for channels, partners and merchants.
    case business
    /// The report upward to the regulator or the company's top, due within hours of classification.
    case regulatory

    /// The incident role that owes this update.
    public var owner: IncidentRole {
        switch self {
        case .bulletin, .regulatory: .coordinator
        case .business: .businessLead
        }
    }
}

/// A role on one incident, as opposed to the on-call roles of the roster.
public enum IncidentRole: String, Sendable, Hashable, Codable, CaseIterable {
    case commander
    case coordinator
    case businessLead = "business_lead"
    case executor
}

/// Reconciliation figures as recorded; each call replaces the previous figures it names.
public struct ReconciliationFigures: Sendable, Hashable, Codable {
    public var affectedTransactions: Int?
    public var amount: String?
    public var currency: String?
    public var channels: [String]?
    public var banks: [String]?
    public var discrepanciesFound: Int?
    public var discrepanciesResolved: Int?

    public init(affectedTransactions: Int? = nil, amount: String? = nil, currency: String? = nil, channels: [String]? = nil,
                banks: [String]? = nil, discrepanciesFound: Int? = nil, discrepanciesResolved: Int? = nil) {
        self.affectedTransactions = affectedTransactions
        self.amount = amount
        self.currency = currency
        self.channels = channels
        self.banks = banks
        self.discrepanciesFound = discrepanciesFound
        self.discrepanciesResolved = discrepanciesResolved
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case affectedTransactions = "affected_transactions", amount, currency, channels, banks
        case discrepanciesFound = "discrepancies_found", discrepanciesResolved = "discrepancies_resolved"
    }
}
