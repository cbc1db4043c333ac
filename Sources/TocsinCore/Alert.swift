import Foundation

/// Whether the fault an alert describes is still happening.
public enum AlertStatus: String, Sendable, Codable, Hashable {
    case firing
    case resolved
}

/// One alert as Tocsin understands it, whatever wire format it arrived in.
///
/// Every ingest adapter turns its source's payload into this shape; everything downstream
/// (deduplication, classification, incidents) works on it alone.
public struct AlertReport: Sendable, Hashable, Codable {
    /// Which system sent it: `prometheus`, `alertmanager`, `manual`, …
    public var source: String
    /// Alerts with the same key while one is open are the same fault.
    public var dedupKey: String
    public var summary: String
    /// The business service affected; its tier sets how important the fault is.
    public var service: String
    public var labels: [String: String]
    public var status: AlertStatus
    /// When the fault started, which can be earlier than when Tocsin heard of it.
    public var startsAt: Date
    /// What the source said about the alert beyond its labels, kept for the record: an
    /// Alertmanager `group_key` and `fingerprint`, the integration it came through, a
    /// generator URL. Recorded on the timeline when the alert opens an incident.
    public var details: [String: String]

    public init(
        source: String, dedupKey: String, summary: String, service: String,
        labels: [String: String] = [:], status: AlertStatus = .firing, startsAt: Date,
        details: [String: String] = [:]
    ) {
        self.source = source
        self.dedupKey = dedupKey
        self.summary = summary
        self.service = service
        self.labels = labels
        self.status = status
        self.startsAt = startsAt
        self.details = details
    }
}
