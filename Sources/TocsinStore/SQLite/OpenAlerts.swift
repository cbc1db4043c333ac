import GRDB
import Synchronization

/// The firing alerts by dedup key, held in memory: the lookup every incoming alert makes.
///
/// A unique index on the key did this job, but keys are as good as random (a Prometheus
/// fingerprint is a hash), so each new alert wrote an index page at a random place: 4 KiB
/// to the log, and later to the database file, for a few dozen bytes. That was about half
/// the cost of taking an alert. This map answers the same question from memory.
///
/// It is read from the table when the store opens and changes only inside the store's
/// write transactions (`SQLiteIncidentStore.requestWrite` and `unflushedWrite`): a transaction sees
/// its own changes at once, everyone else sees them once it commits, and a rollback drops them.
final class OpenAlerts: Sendable {
    private struct State {
        var committed: [String: Int64] = [:]
        /// The running transaction's changes: the id of an alert opened, nil for one resolved.
        var pending: [String: Int64?] = [:]
        var inTransaction = false
    }

    private let state = Mutex(State())

    /// Reads the firing alerts of the table.
    init(in db: Database) throws {
        var committed: [String: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT dedup_key, id FROM alert WHERE status = 'firing'")
        while let row = try rows.next() { committed[row[0]] = row[1] }
        state.withLock { $0.committed = committed }
    }

    /// The id of the firing alert with `key`, as the running write transaction sees it.
    func id(of key: String) -> Int64? {
        state.withLock { state in state.pending[key] ?? state.committed[key] }
    }

    /// The id of the firing alert with `key` as last committed: for readers.
    func committedID(of key: String) -> Int64? {
        state.withLock { $0.committed[key] }
    }

    func opened(_ key: String, id: Int64) { change(key, to: id) }

    func resolved(_ key: String) { change(key, to: nil) }

    private func change(_ key: String, to id: Int64?) {
        state.withLock { state in
            precondition(state.inTransaction, "open alerts change only inside the store's write transactions")
            state.pending[key] = .some(id)
        }
    }

    /// Runs `transaction` (which commits before it returns) and keeps its changes, or drops
    /// them if it throws.
    func track<T>(_ transaction: () throws -> T) throws -> T {
        state.withLock { $0.inTransaction = true }
        do {
            let result = try transaction()
            state.withLock { state in
                for (key, id) in state.pending { state.committed[key] = id }
                state.pending.removeAll(keepingCapacity: true)
                state.inTransaction = false
            }
            return result
        } catch {
            state.withLock { state in
                state.pending.removeAll(keepingCapacity: true)
                state.inTransaction = false
            }
            throw error
        }
    }
}
