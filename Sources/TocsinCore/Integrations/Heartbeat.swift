import Foundation

/// A monitor that must check in at least every `interval`.
///
/// A monitoring pipeline that has died sends no alerts at all, which looks exactly like
/// a healthy platform. So the pipeline checks in regularly, and a missed check-in raises
/// an alert of its own: a dead monitoring pipeline is itself an incident.
public struct Heartbeat: Sendable, Hashable {
    public var name: String
    public var interval: Duration
    /// What the alert raised on a missed check-in says and which service it is about.
    public var service: String
    public var summary: String
    /// Labels of that alert, urgency included; runbooks and silences match on them.
    public var labels: [String: String]

    public init(name: String, interval: Duration, service: String, summary: String? = nil, labels: [String: String] = [:]) {
        self.name = name
        self.interval = interval
        self.service = service
        self.summary = summary ?? "Heartbeat \(name) missed: no check-in for \(Self.describe(interval))"
        self.labels = labels
    }

    /// The dedup key of the alert a missed check-in raises.
    public var dedupKey: String { "heartbeat:\(name)" }

    /// The alert a missed check-in raises (`firing`) or a late check-in clears (`resolved`).
    public func alert(_ status: AlertStatus, deadline: Date) -> AlertReport {
        var labels = labels
        labels["heartbeat"] = name
        return AlertReport(source: "heartbeat", dedupKey: dedupKey, summary: summary, service: service, labels: labels,
                           status: status, startsAt: deadline,
                           details: ["heartbeat": name, "interval_s": String(format: "%.0f", interval.seconds)])
    }

    static func describe(_ interval: Duration) -> String {
        let seconds = Int(interval.seconds.rounded())
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
