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
    /// A rehearsal: its pages say DRILL, the trade switch is not called, and it stays out of
    /// the response figures.
    public var isDrill: Bool
    /// The people a drill's script made silent (`vendor_silent`): nothing the drill sends
    /// reaches them, and nothing they answer counts. Empty on a real incident.
    public var silentInDrill: [String]

    public init(
        id: Int64, title: String, service: String, severity: Severity, stage: Stage, runbookID: String?,
        openedAt: Date, acknowledgedAt: Date?, acknowledgedBy: String?, policy: EscalationPolicy, isDrill: Bool = false,
        silentInDrill: [String] = []
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
        self.isDrill = isDrill
        self.silentInDrill = silentInDrill
    }

    /// Whether the drill's script keeps `person` from answering.
    public func keepsSilent(_ person: String) -> Bool {
        isDrill && silentInDrill.contains(person)
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, service, severity, stage, policy
        case runbookID = "runbook_id", openedAt = "opened_at", acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by"
        case isDrill = "drill"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try container.decode(Int64.self, forKey: .id), title: try container.decode(String.self, forKey: .title),
                  service: try container.decode(String.self, forKey: .service), severity: try container.decode(Severity.self, forKey: .severity),
                  stage: try container.decode(Stage.self, forKey: .stage), runbookID: try container.decodeIfPresent(String.self, forKey: .runbookID),
                  openedAt: try container.decode(Date.self, forKey: .openedAt), acknowledgedAt: try container.decodeIfPresent(Date.self, forKey: .acknowledgedAt),
                  acknowledgedBy: try container.decodeIfPresent(String.self, forKey: .acknowledgedBy),
                  policy: try container.decode(EscalationPolicy.self, forKey: .policy),
                  // Records exported before drills existed say nothing: a real incident.
                  isDrill: try container.decodeIfPresent(Bool.self, forKey: .isDrill) ?? false)
    }
}
