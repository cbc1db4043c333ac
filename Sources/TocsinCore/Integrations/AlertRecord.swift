import Foundation

/// An alert as tocsind keeps it: what was reported, and what Tocsin made of it.
///
/// Listing these shows what arrived even when it paged nobody: alerts below the major
/// threshold, and alerts a silence held.
public struct AlertRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var report: AlertReport
    public var severity: Severity
    public var firstReceivedAt: Date
    public var lastReceivedAt: Date
    /// Deliveries folded into this alert, duplicates included.
    public var receiveCount: Int
    public var endsAt: Date?
    public var incidentID: Int64?
    /// The silence that covered the alert when it arrived or when its incident opened.
    public var silencedBy: Int64?

    public init(id: Int64, report: AlertReport, severity: Severity, firstReceivedAt: Date, lastReceivedAt: Date,
                receiveCount: Int, endsAt: Date?, incidentID: Int64?, silencedBy: Int64?) {
        self.id = id
        self.report = report
        self.severity = severity
        self.firstReceivedAt = firstReceivedAt
        self.lastReceivedAt = lastReceivedAt
        self.receiveCount = receiveCount
        self.endsAt = endsAt
        self.incidentID = incidentID
        self.silencedBy = silencedBy
    }

    private enum CodingKeys: String, CodingKey {
        case id, severity, source, summary, service, labels, status, details
        case dedupKey = "dedup_key", startsAt = "starts_at", endsAt = "ends_at"
        case firstReceivedAt = "first_received_at", lastReceivedAt = "last_received_at", receiveCount = "receive_count"
        case incidentID = "incident_id", silencedBy = "silenced_by"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        report = AlertReport(
            source: try container.decode(String.self, forKey: .source),
            dedupKey: try container.decode(String.self, forKey: .dedupKey),
            summary: try container.decode(String.self, forKey: .summary),
            service: try container.decode(String.self, forKey: .service),
            labels: try container.decode([String: String].self, forKey: .labels),
            status: try container.decode(AlertStatus.self, forKey: .status),
            startsAt: try container.decode(Date.self, forKey: .startsAt),
            details: try container.decode([String: String].self, forKey: .details)
        )
        severity = try container.decode(Severity.self, forKey: .severity)
        firstReceivedAt = try container.decode(Date.self, forKey: .firstReceivedAt)
        lastReceivedAt = try container.decode(Date.self, forKey: .lastReceivedAt)
        receiveCount = try container.decode(Int.self, forKey: .receiveCount)
        endsAt = try container.decodeIfPresent(Date.self, forKey: .endsAt)
        incidentID = try container.decodeIfPresent(Int64.self, forKey: .incidentID)
        silencedBy = try container.decodeIfPresent(Int64.self, forKey: .silencedBy)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(report.source, forKey: .source)
        try container.encode(report.dedupKey, forKey: .dedupKey)
        try container.encode(report.summary, forKey: .summary)
        try container.encode(report.service, forKey: .service)
        try container.encode(report.labels, forKey: .labels)
        try container.encode(report.status, forKey: .status)
        try container.encode(report.startsAt, forKey: .startsAt)
        try container.encode(report.details, forKey: .details)
        try container.encode(severity, forKey: .severity)
        try container.encode(firstReceivedAt, forKey: .firstReceivedAt)
        try container.encode(lastReceivedAt, forKey: .lastReceivedAt)
        try container.encode(receiveCount, forKey: .receiveCount)
        try container.encode(endsAt, forKey: .endsAt)
        try container.encode(incidentID, forKey: .incidentID)
        try container.encode(silencedBy, forKey: .silencedBy)
    }
}
