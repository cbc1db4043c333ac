import Foundation

/// Whether a `tocsind` can do its work now, and if not, why: what `/readyz` answers, so that a
/// load balancer sends alerts elsewhere and an operator reads the reason.
///
/// Decided from values the daemon keeps or reads: when a write last failed (and why), whether
/// page attempts are failing for everyone (`DeliveryHealth`), and the earliest timer and page
/// the record holds. A deadline more than `lateness` in the past means the timer loop or the
/// delivery loop is not keeping up.
public struct Readiness: Sendable, Hashable {
    public var ready: Bool { reasons.isEmpty }
    public var reasons: [String]

    public static let defaultLateness: TimeInterval = 30

    public init(lastWriteFailure: (at: Date, reason: String)?, deliveries: DeliveryHealth = DeliveryHealth(), earliestTimer: Date?, earliestPage: Date?,
                now: Date, lateness: TimeInterval = defaultLateness) {
        var reasons: [String] = []
        if let failure = lastWriteFailure {
            reasons.append("the last write, at \(UTCTime.string(failure.at)), failed: \(failure.reason)")
        }
        if let failure = deliveries.failure {
            reasons.append(failure)
        }
        if let timer = earliestTimer, now.timeIntervalSince(timer) > lateness {
            reasons.append(String(format: "a timer due at %@ has not fired (%.0f s late)", UTCTime.string(timer), now.timeIntervalSince(timer)))
        }
        if let page = earliestPage, now.timeIntervalSince(page) > lateness {
            reasons.append(String(format: "a page due at %@ has not been sent (%.0f s late)", UTCTime.string(page), now.timeIntervalSince(page)))
        }
        self.reasons = reasons
    }

    public init(unreadable reason: String) {
        reasons = ["the record cannot be read: \(reason)"]
    }
}
