import Foundation

/// A page's state in the outbox as far as recording an attempt to send it is concerned.
public struct OutboxEntry: Sendable {
    public var attempts: Int
    public var status: String
    public var createdAt: Date
    public var kind: PageRequest.Kind
    public var pass: Int
    public var step: Int?
    /// For a bundle: the pages it carries (their incident and key).
    public var members: [(incidentID: Int64, idempotencyKey: String)]

    public init(attempts: Int, status: String, createdAt: Date, kind: PageRequest.Kind, pass: Int, step: Int?,
                members: [(incidentID: Int64, idempotencyKey: String)] = []) {
        self.attempts = attempts
        self.status = status
        self.createdAt = createdAt
        self.kind = kind
        self.pass = pass
        self.step = step
        self.members = members
    }
}

/// Where a page stands after an attempt to send it.
public enum PageProgress: Sendable, Hashable {
    case sent(attempts: Int, at: Date)
    case retry(attempts: Int, at: Date)
    case failed(attempts: Int)
}

/// What one attempt to send a page records: the page's new state and the events on its
/// incident's timeline (on each carried page's incident, for a bundle).
public enum DeliveryAttempt {
    /// A retryable failure (no answer, 5xx, 429) is tried again after the retry schedule's
    /// delay, never sooner than the receiver's `Retry-After`; other failures, and pages older
    /// than the schedule gives up at, are final. A page cancelled while in flight (it was
    /// acknowledged) records nothing, unless it got through all the same.
    public static func record(_ page: OutboundPage, entry: OutboxEntry, result: DeliveryResult, now: Date, retry: RetrySchedule,
                              random: () -> Double) -> (progress: PageProgress, changes: [RecordChange])? {
        guard entry.status == "pending" || (entry.status == "cancelled" && result.delivered) else { return nil }
        let attempt = entry.attempts + 1
        var detail = ["person": page.person, "channel": page.channel, "attempt": "\(attempt)",
                      "latency_ms": String(format: "%.1f", result.latency.seconds * 1000), "idempotency_key": page.idempotencyKey]
        detail["status"] = result.status.map(String.init)
        detail["error"] = result.error
        let progress: PageProgress
        let kind: TimelineEventKind
        if result.delivered {
            progress = .sent(attempts: attempt, at: now)
            kind = .pageSent
        } else if result.isRetryable, now.timeIntervalSince(entry.createdAt) < retry.giveUpAfter.seconds {
            let delay = retry.delay(afterAttempt: attempt, retryAfter: result.retryAfter, random: random())
            detail["retry_in_s"] = String(format: "%.1f", delay.seconds)
            if let retryAfter = result.retryAfter { detail["retry_after_s"] = String(format: "%.0f", retryAfter.seconds) }
            progress = .retry(attempts: attempt, at: now.addingTimeInterval(delay.seconds))
            kind = .pageFailed
        } else {
            detail["final"] = "true"
            progress = .failed(attempts: attempt)
            kind = .pageFailed
        }
        guard entry.kind == .bundle else {
            return (progress, [.event(TimelineEntry(kind, incident: page.incidentID, at: now, detail: detail))])
        }
        return (progress, entry.members.map { member in
            var memberDetail = detail
            memberDetail["idempotency_key"] = member.idempotencyKey
            memberDetail["bundle"] = page.idempotencyKey
            return .event(TimelineEntry(kind, incident: member.incidentID, at: now, detail: memberDetail))
        })
    }
}
