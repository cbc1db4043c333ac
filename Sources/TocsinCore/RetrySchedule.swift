import Foundation

/// When a failed page is tried again.
///
/// Exponential backoff (1 s, 2 s, 4 s … up to `cap`) with jitter, so that many pages failing
/// together do not retry in lock-step, and never sooner than a receiver's `Retry-After`.
/// A page is given up only once it is older than `giveUpAfter`, so a receiver that is down
/// for a long while still gets it when it comes back.
public struct RetrySchedule: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    /// Fraction of each delay that is random: 0 is none, 0.5 waits between half and all of it.
    public var jitter: Double
    public var giveUpAfter: Duration
    /// The longest `Retry-After` honoured, so a receiver cannot silence Tocsin for days.
    public var longestRetryAfter: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(300), jitter: Double = 0.5,
                giveUpAfter: Duration = .seconds(24 * 3600), longestRetryAfter: Duration = .seconds(3600)) {
        self.base = base
        self.cap = cap
        self.jitter = min(1, max(0, jitter))
        self.giveUpAfter = giveUpAfter
        self.longestRetryAfter = longestRetryAfter
    }

    /// Wait after failed attempt number `attempt` (from 1); `random` is uniform in 0..<1.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, random: Double) -> Duration {
        let exponential = min(cap.seconds, base.seconds * pow(2, Double(max(0, attempt - 1))))
        let jittered = exponential * (1 - jitter * min(max(random, 0), 1))
        let floor = min(retryAfter?.seconds ?? 0, longestRetryAfter.seconds)
        return .fromSeconds(max(jittered, floor))
    }

    /// Reads a `Retry-After` value: seconds, or an HTTP date.
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return .fromSeconds(max(0, date.timeIntervalSince(now)))
    }
}
