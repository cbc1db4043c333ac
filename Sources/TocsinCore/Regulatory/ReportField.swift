/// A fact a regulatory report carries, read from the incident's record.
public enum ReportField: String, Sendable, Hashable, CaseIterable, Codable {
    case detectedAt = "detected_at"
    case classifiedAt = "classified_at"
    case declaredAt = "declared_at"
    case faultStartedAt = "fault_started_at"
    case severity
    case stage
    case scope
    case spread
    case affectedServices = "affected_services"
    case allBusinessAffected = "all_business_affected"
    case initialCause = "initial_cause"
    case tradingStopped = "trading_stopped"
    case affectedTransactions = "affected_transactions"
    case amount
    case channels
    case banks
    case rootCause = "root_cause"
    case recoveryPlan = "recovery_plan"
    case operations
    case serviceRestoredAt = "service_restored_at"
    case reconciliation
    case summary
    case followUps = "follow_ups"
    case classification
    /// The regulator's reference of the report before it in the regime.
    case previousReference = "previous_reference"

    /// The label the draft prints.
    public var label: String {
        switch self {
        case .detectedAt: "Detected"
        case .classifiedAt: "Classified as an incident"
        case .declaredAt: "Classified as major"
        case .faultStartedAt: "Fault started"
        case .severity: "Severity"
        case .stage: "Stage"
        case .scope: "Impact scope"
        case .spread: "Spread"
        case .affectedServices: "Affected services"
        case .allBusinessAffected: "All business affected"
        case .initialCause: "Initial view of the cause"
        case .tradingStopped: "Trading stopped"
        case .affectedTransactions: "Affected transactions"
        case .amount: "Amount"
        case .channels: "Channels"
        case .banks: "Banks"
        case .rootCause: "Root cause"
        case .recoveryPlan: "Recovery plan"
        case .operations: "Operations"
        case .serviceRestoredAt: "Service restored"
        case .reconciliation: "Reconciliation"
        case .summary: "Summary"
        case .followUps: "Follow-up actions"
        case .classification: "Classification"
        case .previousReference: "Previous report's reference"
        }
    }
}
