import Foundation

/// When a regulatory report is due: a period after a moment the record holds, and at most a
/// second period after another (DORA's initial notification: 4 hours after classification as
/// major, and no later than 24 hours after detection).
public struct ReportClock: Sendable, Hashable {
    public var within: ReportPeriod
    public var after: ReportAnchor
    /// A later limit that can bring the due time forward, never push it back.
    public var atMost: ReportLimit?

    public init(within: ReportPeriod, after: ReportAnchor, atMost: ReportLimit? = nil) {
        self.within = within
        self.after = after
        self.atMost = atMost
    }

    /// The due time, once the moment it runs from is on record.
    public func due(_ anchors: ReportAnchors) -> Date? {
        guard let start = anchors.time(of: after) else { return nil }
        let due = within.added(to: start)
        guard let limit = atMost, let limitStart = anchors.time(of: limit.after) else { return due }
        return min(due, limit.within.added(to: limitStart))
    }

    /// Whether the clock runs from `anchor`, directly or through its limit.
    public func runs(from anchor: ReportAnchor) -> Bool {
        after == anchor || atMost?.after == anchor
    }

    /// As written in configuration: `4h after declared, at most 24h after detected`.
    public var description: String {
        "\(within.description) after \(after.description)" + (atMost.map { ", at most \($0.within.description) after \($0.after.description)" } ?? "")
    }
}

/// The second limit of a report clock.
public struct ReportLimit: Sendable, Hashable {
    public var within: ReportPeriod
    public var after: ReportAnchor

    public init(within: ReportPeriod, after: ReportAnchor) {
        self.within = within
        self.after = after
    }
}

/// A moment a report clock runs from.
public enum ReportAnchor: Sendable, Hashable {
    /// Tocsin classified the alert as an incident.
    case opened
    /// The first alert of the incident arrived: when the firm became aware of the fault.
    case detected
    /// Someone classified the incident as major under the regime.
    case declared
    /// Another report of the regime was submitted: its first version. A correction is the
    /// same report again and leaves this moment where it was.
    case submitted(String)
    /// The latest version of another report of the regime was submitted, where a regulation
    /// counts from the latest update (DORA's final report: "the latest updated intermediate report").
    case latest(String)

    /// `opened`, `detected`, `declared`, `REPORT` or `latest REPORT`.
    public init(_ text: String) {
        switch text {
        case "opened": self = .opened
        case "detected": self = .detected
        case "declared": self = .declared
        default:
            if text.hasPrefix("latest ") {
                self = .latest(String(text.dropFirst("latest ".count)))
            } else {
                self = .submitted(text)
            }
        }
    }

    /// The report this anchor waits for, if it is one.
    public var report: String? {
        switch self {
        case .submitted(let report), .latest(let report): report
        case .opened, .detected, .declared: nil
        }
    }

    public var description: String {
        switch self {
        case .opened: "opened"
        case .detected: "detected"
        case .declared: "declared"
        case .submitted(let report): report
        case .latest(let report): "latest \(report)"
        }
    }
}

/// A length of time a regulation states: hours, or calendar months ("within one month").
public enum ReportPeriod: Sendable, Hashable {
    case duration(Duration)
    case months(Int)

    public func added(to date: Date) -> Date {
        switch self {
        case .duration(let duration):
            return date.addingTimeInterval(duration.seconds)
        case .months(let months):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar.date(byAdding: .month, value: months, to: date) ?? date.addingTimeInterval(Double(months) * 30 * 86400)
        }
    }

    public var description: String {
        switch self {
        case .duration(let duration):
            let seconds = Int(duration.seconds)
            if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
            if seconds % 60 == 0 { return "\(seconds / 60)m" }
            return "\(seconds)s"
        case .months(let months):
            return months == 1 ? "1 month" : "\(months) months"
        }
    }
}

/// The moments on record that report clocks run from.
public struct ReportAnchors: Sendable, Hashable {
    public var opened: Date
    public var detected: Date
    public var declared: Date?
    /// Report id → when it was first submitted.
    public var submitted: [String: Date]
    /// Report id → when its latest version was submitted; a report not corrected has none here.
    public var latest: [String: Date]

    public init(opened: Date, detected: Date, declared: Date? = nil, submitted: [String: Date] = [:], latest: [String: Date] = [:]) {
        self.opened = opened
        self.detected = detected
        self.declared = declared
        self.submitted = submitted
        self.latest = latest
    }

    public func time(of anchor: ReportAnchor) -> Date? {
        switch anchor {
        case .opened: opened
        case .detected: detected
        case .declared: declared
        case .submitted(let report): submitted[report]
        case .latest(let report): latest[report] ?? submitted[report]
        }
    }
}
