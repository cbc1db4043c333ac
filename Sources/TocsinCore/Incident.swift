import Foundation

/// A fault big enough to page people, carried through the emergency procedure.
public struct Incident: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var title: String
    public var service: String
    public var severity: Severity
    public var stage: Stage
    public var runbookID: String?
    public var openedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    /// The escalation policy as it was when the incident opened.
    public var policy: EscalationPolicy

    public init(
        id: Int64, title: String, service: String, severity: Severity, stage: Stage, runbookID: String?,
        openedAt: Date, acknowledgedAt: Date?, acknowledgedBy: String?, policy: EscalationPolicy
    ) {
        self.id = id
        self.title = title
        self.service = service
        self.severity = severity
        self.stage = stage
        self.runbookID = runbookID
        self.openedAt = openedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.policy = policy
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, service, severity, stage, policy
        case runbookID = "runbook_id", openedAt = "opened_at", acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by"
    }
}
