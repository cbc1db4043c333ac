import Foundation
import GRDB
import Testing
import TocsinCore
@testable import TocsinStore

/// Who copies the write-ahead log back into the database file.
@Suite struct LogCheckpointTests {
    /// SQLite's own checkpoint runs inside whichever commit takes the log past its threshold,
    /// 1,000 pages by default: that commit, and the page it carries, then waits 1-2 ms for the
    /// copy and its flush, every few dozen incidents. The store leaves the copy to its checkpoint
    /// thread and keeps SQLite's only as a backstop.
    @Test func commitsLeaveTheCopyToTheCheckpointThread() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: folder.appendingPathComponent("tocsin.sqlite").path)
        let threshold = try store.database.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        #expect(threshold == WALCheckpointer.backstopPages)
    }

    /// Another connection (`tocsin verify`, the checkpoint thread) may hold the write lock for
    /// a moment: an alert arriving then waits for it rather than being refused.
    @Test func anAlertWaitsOutAnotherConnectionsWriteLock() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tocsin.sqlite").path
        let store = try SQLiteIncidentStore(path: path)
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? other.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.05)
                try db.execute(sql: "COMMIT")
            }
        }
        holder.start()
        locked.wait()
        let report = AlertReport(source: "test", dedupKey: "disk-full", summary: "disk usage high", service: "reporting", startsAt: Date())
        #expect(try store.ingest([report], rules: .quiet, now: Date()).created == 1)
    }
}

/// A restart opens the store again on the same file at once, and the store before it may
/// still be closing: its last connection copies the log back and removes it, holding the whole
/// file meanwhile. The new store waits for the file rather than failing to start.
@Suite struct ReopenTests {
    final class Holder: @unchecked Sendable {
        var connection: DatabaseQueue?
        init(_ connection: DatabaseQueue) { self.connection = connection }
    }

    @Test func aStoreOpensOnAFileAnotherConnectionHoldsForAMoment() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-reopen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tocsin.sqlite").path
        let report = AlertReport(source: "test", dedupKey: "disk-full", summary: "disk usage high", service: "reporting", startsAt: Date())
        #expect(try SQLiteIncidentStore(path: path).ingest([report], rules: .quiet, now: Date()).created == 1)
        // As a closing connection does: the file held whole, by a lock nobody else shares.
        var holding = Configuration()
        holding.busyMode = .timeout(10)
        holding.prepareDatabase { try $0.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        let holder = Holder(try DatabaseQueue(path: path, configuration: holding))
        try holder.connection?.write { try $0.execute(sql: "UPDATE alert SET receive_count = receive_count") }
        let released = DispatchSemaphore(value: 0)
        Thread {
            Thread.sleep(forTimeInterval: 0.2)
            holder.connection = nil
            released.signal()
        }.start()
        let store = try SQLiteIncidentStore(path: path)
        released.wait()
        #expect(try store.alerts().count == 1)
    }
}
