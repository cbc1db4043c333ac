import Foundation
import TocsinCore

/// What one ingest call did.
public struct IngestOutcome: Sendable, Hashable {
    /// Alerts seen for the first time.
    public var created = 0
    /// Repeats of an open alert, folded into it.
    public var deduplicated = 0
    public var resolved = 0
    /// `resolved` for an alert that is not open: nothing to do.
    public var ignored = 0
    public var openedIncidents: [Int64] = []
    /// The severity each incident in `openedIncidents` opened at, in the same order.
    public var openedSeverities: [Severity] = []
    /// Pages the commit leased to this instance, to send now: the first pages of the incidents
    /// it opened, when the store takes them in the commit (`leasingFirstPages`).
    public var leasedPages: [OutboundPage] = []
    /// Whether every page due at once of `openedIncidents` is in `leasedPages`, so that no
    /// claim is needed for them.
    public var firstPagesLeased = false
    /// The earliest timer and page the call wrote, when the store tells them (nil when not):
    /// the engine then wakes its loops for these rather than read its next deadlines back.
    public var deadlinesWritten: DeadlinesWritten?

    public init() {}

    /// What two parts of one call did together.
    public static func + (first: IngestOutcome, second: IngestOutcome) -> IngestOutcome {
        var sum = first
        sum.created += second.created
        sum.deduplicated += second.deduplicated
        sum.resolved += second.resolved
        sum.ignored += second.ignored
        sum.openedIncidents += second.openedIncidents
        sum.openedSeverities += second.openedSeverities
        sum.leasedPages += second.leasedPages
        sum.deadlinesWritten = DeadlinesWritten.merged([first.deadlinesWritten, second.deadlinesWritten])
        sum.firstPagesLeased = !sum.openedIncidents.isEmpty
            && [first, second].allSatisfy { $0.openedIncidents.isEmpty || $0.firstPagesLeased }
        return sum
    }
}
