import Foundation
import Synchronization
import TocsinCore

/// Gathers the alert batches of concurrent requests and commits them together.
///
/// A durable commit costs an fsync, which bounds one-transaction-per-request to a few hundred
/// requests a second. Requests that arrive while a commit is under way wait for the next one,
/// which takes all of them: each still hears "accepted" only after its own alerts are on disk.
/// The commits run on a thread of their own, so SQLite never blocks Swift's cooperative threads.
public final class GroupCommit: Sendable {
    private struct Waiting {
        var alerts: [PreparedAlert]
        var continuation: CheckedContinuation<IngestOutcome, any Error>
    }

    private let store: any IncidentStore
    private let rules: @Sendable () -> ResponseRules
    private let clock: any TimeSource
    private let afterCommit: @Sendable ([IngestOutcome]) -> Void
    /// Read for each commit: whether it may lease the pages it queues to this instance (see
    /// `IncidentStore.ingest(batches:rules:now:leasingFirstPages:committed:)`).
    private let leasingFirstPages: @Sendable () -> Bool
    private struct State {
        var waiting: [Waiting] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let arrived = DispatchSemaphore(value: 0)

    /// `afterCommit` runs on the commit thread as soon as a commit is made, while it is being
    /// flushed to disk and before any waiting caller resumes: the engine starts paging from
    /// there without waiting for the flush or for the answers to be written.
    public convenience init(store: any IncidentStore, rules: ResponseRules, clock: any TimeSource,
                            afterCommit: @escaping @Sendable ([IngestOutcome]) -> Void = { _ in }) {
        self.init(store: store, currentRules: { rules }, clock: clock, afterCommit: afterCommit)
    }

    /// `currentRules` is read for each commit: the rules may be replaced while it runs.
    public init(store: any IncidentStore, currentRules rules: @escaping @Sendable () -> ResponseRules, clock: any TimeSource,
                leasingFirstPages: @escaping @Sendable () -> Bool = { false }, afterCommit: @escaping @Sendable ([IngestOutcome]) -> Void = { _ in }) {
        self.leasingFirstPages = leasingFirstPages
        self.store = store
        self.rules = rules
        self.clock = clock
        self.afterCommit = afterCommit
        Thread { [self] in self.commitForever() }.start()
    }

    /// Returns once `reports` are committed, with what they did.
    public func ingest(_ reports: [AlertReport]) async throws -> IngestOutcome {
        // Made here, on each request's own thread, not on the one commit thread.
        let alerts = reports.map(PreparedAlert.init)
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.waiting.append(Waiting(alerts: alerts, continuation: continuation))
                return true
            }
            guard accepted else { return continuation.resume(throwing: CancellationError()) }
            arrived.signal()
        }
    }

    /// Commits what is waiting, then ends the commit thread; later calls are refused.
    public func stop() {
        state.withLock { $0.stopped = true }
        arrived.signal()
    }

    private func commitForever() {
        DeadlinePriority.adopt(naming: "tocsin-commit")
        while true {
            arrived.wait()
            let (batch, stopped) = state.withLock { state -> ([Waiting], Bool) in
                defer { state.waiting.removeAll(keepingCapacity: true) }
                return (state.waiting, state.stopped)
            }
            if batch.isEmpty {
                if stopped { return }
                continue
            }
            do {
                let results = try store.ingest(batches: batch.map(\.alerts), rules: rules(), now: clock.now(),
                                               leasingFirstPages: leasingFirstPages()) { results in
                    afterCommit(results.compactMap { try? $0.get() })
                }
                for (waiting, result) in zip(batch, results) { waiting.continuation.resume(with: result) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
            if stopped { return }
        }
    }
}
