import Foundation
import Synchronization
import TocsinCore
import TocsinPager
import TocsinStore

/// Claims due pages and starts sending them: from the engine's delivery loop, and straight
/// from the commit that queued an incident's first pages, so those leave without waiting for
/// the loop to wake. A store that leases those pages in the commit itself hands them over
/// here instead (`sendLeased`), and they are in flight as if claimed.
///
/// Both callers share the pages in flight, and a claim reads the store and marks what it took
/// under one lock, so no page is sent twice at once. A page stays in flight until its attempt
/// is recorded. External people's pages wait while any internal page is in flight.
final class PageSender: Sendable {
    private struct InFlight {
        var all: Set<Int64> = []
        var `internal`: Set<Int64> = []
        var heldExternal: [OutboundPage] = []
        /// Set by `stopSending`: no page is claimed or started any more.
        var stopped = false
    }

    private let store: any IncidentStore
    private let rules: CurrentRules
    private let clock: any TimeSource
    private let concurrency: Int
    private let inFlight = Mutex(InFlight())
    private let finished = Mutex<[(OutboundPage, DeliveryResult)]>([])
    /// Signalled as each attempt finishes.
    private let attemptFinished: WakeSignal

    init(store: any IncidentStore, rules: CurrentRules, clock: any TimeSource, concurrency: Int, attemptFinished: WakeSignal) {
        self.attemptFinished = attemptFinished
        self.store = store
        self.rules = rules
        self.clock = clock
        self.concurrency = concurrency
    }

    /// Set while the engine's delivery loop runs: only then does a commit start pages itself,
    /// since only that loop records their attempts. (A test driving the engine step by step
    /// sends every page from its own steps.)
    private let deliveryLoopRuns = Mutex(false)

    func deliveryLoop(runs: Bool) {
        deliveryLoopRuns.withLock { $0 = runs }
    }

    /// `sendDue`, for the commit that queued an incident's first pages.
    func sendDueFromCommit() throws {
        guard deliveryLoopRuns.withLock({ $0 }) else { return }
        try sendDue(justCommitted: true)
    }

    /// Whether a commit may lease the pages it queues to this instance, to be handed to
    /// `sendLeased`: the delivery loop runs, sending has not stopped, and there is room in flight.
    var takesLeasedPages: Bool {
        deliveryLoopRuns.withLock { $0 } && inFlight.withLock { !$0.stopped && $0.all.count < concurrency }
    }

    /// Starts pages a commit leased to this instance, as `sendDue` starts those it claims.
    /// Once sending has stopped they are left unsent; their lease lapses and they go again
    /// under the same keys.
    func sendLeased(_ pages: [OutboundPage]) {
        let start = inFlight.withLock { inFlight -> [OutboundPage] in
            guard !inFlight.stopped else { return [] }
            return Self.register(pages, in: &inFlight)
        }
        start.forEach(send)
    }

    /// Claims pages due now, up to the room left in flight, and starts them; returns how many
    /// it claimed. `justCommitted` when the caller has just committed them.
    @discardableResult
    func sendDue(justCommitted: Bool = false) throws -> Int {
        let (claimed, start) = try inFlight.withLock { inFlight -> (Int, [OutboundPage]) in
            guard inFlight.all.count < concurrency, !inFlight.stopped else { return (0, []) }
            let pages = try store.claimDuePages(now: clock.now(), limit: concurrency - inFlight.all.count, excluding: inFlight.all, rules: rules.rules,
                                                 justCommitted: justCommitted)
            return (pages.count, Self.register(pages, in: &inFlight))
        }
        start.forEach(send)
        return claimed
    }

    /// Puts `pages` in flight; returns those to start now.
    private static func register(_ pages: [OutboundPage], in inFlight: inout InFlight) -> [OutboundPage] {
        for page in pages {
            inFlight.all.insert(page.id)
            if page.isExternal {
                inFlight.heldExternal.append(page)
            } else {
                inFlight.internal.insert(page.id)
            }
        }
        return pages.filter { !$0.isExternal } + releasedExternal(&inFlight)
    }

    /// The attempts finished since the last call.
    func takeFinished() -> [(OutboundPage, DeliveryResult)] {
        finished.withLock { finished in
            defer { finished.removeAll() }
            return finished
        }
    }

    /// Lets go of pages whose attempts are recorded, and starts the external pages that waited for them.
    func release(_ pages: [OutboundPage]) {
        let start = inFlight.withLock { inFlight -> [OutboundPage] in
            for page in pages {
                inFlight.all.remove(page.id)
                inFlight.internal.remove(page.id)
            }
            return Self.releasedExternal(&inFlight)
        }
        start.forEach(send)
    }

    /// Whether another page can be claimed now.
    var hasRoom: Bool { inFlight.withLock { $0.all.count < concurrency } }

    /// When the next page not in flight is due; `justCommitted` as for `sendDue`.
    func nextPageDue(justCommitted: Bool = false) throws -> Date? {
        let busy = inFlight.withLock { $0.all }
        return try store.nextPageDue(excluding: busy, justCommitted: justCommitted)
    }

    /// Stops claiming and starting pages; those already on their way go on. External pages
    /// claimed but held back stay unsent, left for the next claim (after a restart).
    func stopSending() {
        inFlight.withLock { $0.stopped = true }
    }

    /// How many attempts have started and are not yet recorded.
    var attemptsUnrecorded: Int {
        inFlight.withLock { $0.all.count - $0.heldExternal.count }
    }

    private static func releasedExternal(_ inFlight: inout InFlight) -> [OutboundPage] {
        guard !inFlight.stopped, inFlight.internal.isEmpty, !inFlight.heldExternal.isEmpty else { return [] }
        defer { inFlight.heldExternal.removeAll() }
        return inFlight.heldExternal
    }

    private func send(_ page: OutboundPage) {
        rules.delivery.deliver(page) { [self] result in
            finished.withLock { $0.append((page, result)) }
            attemptFinished.signal()
        }
    }
}
