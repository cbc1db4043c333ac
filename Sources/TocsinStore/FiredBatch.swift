import Foundation
import TocsinCore

/// What one transaction of a firing pass did, for the timer loop to act on once it committed:
/// the timers it fired, the pages it leased to this instance to be sent at once, and when the
/// first page it queued without leasing falls due, so that the delivery loop looks then.
public struct FiredBatch: Sendable {
    public var timers: [FiredTimer]
    public var leasedPages: [OutboundPage]
    /// nil when every page it queued is in `leasedPages`, or it queued none.
    public var pagesDue: Date?

    public init(timers: [FiredTimer], leasedPages: [OutboundPage] = [], pagesDue: Date?) {
        self.timers = timers
        self.leasedPages = leasedPages
        self.pagesDue = pagesDue
    }
}
