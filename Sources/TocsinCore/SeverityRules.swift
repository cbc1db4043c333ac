import Foundation

/// The configured rules that turn an alert into a severity.
///
/// Severity follows the emergency plan's three factors: how important the business is
/// (the service's tier, 1 = most important), how urgent the fault is (an urgency label),
/// and how long it has lasted (each passed threshold raises it one level).
/// `severity = tier + urgency offset - thresholds passed`, clamped to SEV1…SEV4.
public struct SeverityRules: Sendable, Hashable {
    /// Tier of each known service.
    public var serviceTiers: [String: Int]
    /// Tier of a service not listed.
    public var defaultTier: Int
    /// Label that carries urgency.
    public var urgencyLabel: String
    /// Offset added to the tier for each urgency value (`high: 0`, `medium: 1`, `low: 2`).
    public var urgencyOffsets: [String: Int]
    /// Offset when the label is missing or has an unknown value.
    public var defaultUrgencyOffset: Int
    /// Durations after which a firing alert's severity rises one more level, ascending.
    public var raiseAfter: [Duration]
    /// At or above this severity an incident opens and people are paged.
    public var majorThreshold: Severity

    public init(
        serviceTiers: [String: Int] = [:], defaultTier: Int = 3,
        urgencyLabel: String = "urgency",
        urgencyOffsets: [String: Int] = ["high": 0, "medium": 1, "low": 2],
        defaultUrgencyOffset: Int = 1,
        raiseAfter: [Duration] = [], majorThreshold: Severity = .sev2
    ) {
        self.serviceTiers = serviceTiers
        self.defaultTier = defaultTier
        self.urgencyLabel = urgencyLabel
        self.urgencyOffsets = urgencyOffsets
        self.defaultUrgencyOffset = defaultUrgencyOffset
        self.raiseAfter = raiseAfter.sorted()
        self.majorThreshold = majorThreshold
    }

    /// Severity of `alert` when it has been firing until `now`.
    public func severity(of alert: AlertReport, at now: Date) -> Severity {
        let tier = serviceTiers[alert.service] ?? defaultTier
        let urgency = alert.labels[urgencyLabel].flatMap { urgencyOffsets[$0.lowercased()] } ?? defaultUrgencyOffset
        let lasted = now.timeIntervalSince(alert.startsAt)
        let raises = raiseAfter.filter { lasted >= $0.seconds }.count
        return Severity(clamping: tier + urgency - raises)
    }

    /// When `alert`'s severity will next rise if it keeps firing, or nil when it cannot rise
    /// any further (already SEV1, or so unimportant that even every threshold keeps it SEV4).
    public func nextRaise(of alert: AlertReport, after now: Date) -> Date? {
        let current = severity(of: alert, at: now)
        return raiseAfter
            .map { alert.startsAt.addingTimeInterval($0.seconds) }
            .first { $0 > now && severity(of: alert, at: $0) > current }
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`.
    public var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
