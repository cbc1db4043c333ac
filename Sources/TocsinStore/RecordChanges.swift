import Synchronization

/// Tells those following the record (the console's live pages) that something was committed,
/// so that an open page shows a new event at once instead of reading the record over and over
/// to find out whether there is one.
///
/// The store announces each of its own commits. A follower notes the count before it reads
/// and then waits for a later one, so a commit made while it was reading is never slept
/// through. Commits this store is not told of (another `tocsind` writing the same PostgreSQL
/// database) are found by reading the record anyway every `unheardCommitsWithin`.
public final class RecordChanges: Sendable {
    private struct State {
        var count: UInt64 = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())
    /// How often a follower must read the record to see commits made elsewhere; nil when every
    /// commit to the record is announced here.
    public let unheardCommitsWithin: Duration?

    public init(unheardCommitsWithin: Duration?) {
        self.unheardCommitsWithin = unheardCommitsWithin
    }

    /// Whether anyone else commits to this record: another `tocsind` on the same database.
    public var othersCommit: Bool { unheardCommitsWithin != nil }

    /// The commits announced so far.
    public var count: UInt64 {
        state.withLock { $0.count }
    }

    /// Announces a commit to everyone waiting.
    public func committed() {
        let waiting = state.withLock { state in
            state.count += 1
            defer { state.waiting.removeAll(keepingCapacity: true) }
            return Array(state.waiting.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once a commit after the `seen`-th has been announced, after `limit`, or when the
    /// task is cancelled, whichever comes first; true if there was such a commit.
    @discardableResult
    public func wait(after seen: UInt64, atMost limit: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: limit) }
            group.addTask { await self.waitForCommit(after: seen) }
            await group.next()
            group.cancelAll()
        }
        return count > seen
    }

    private func waitForCommit(after seen: UInt64) async {
        let waiter = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.count > seen || Task.isCancelled { return true }
                    state.waiting[waiter] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: waiter) }?.resume()
        }
    }
}
