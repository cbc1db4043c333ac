import GRDB
import GRDBSQLite

extension IncidentStore {
    /// A durable write for every request's path: one immediate transaction, flushed to disk
    /// before it returns (the connection's `synchronous = FULL`).
    func requestWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in try openAlerts.track { try db.immediateTransaction { try body(db) } } }
    }

    /// A transaction committed without the WAL sync: it survives a crash of the process
    /// (`kill -9`) at once, and a crash of the machine once `flushWAL` (or any later durable
    /// write) has run.
    ///
    /// The engine's own work (firing timers, claiming pages, recording attempts) commits this
    /// way, because every such transaction can be replayed without harm: a timer whose firing
    /// is lost fires again and queues the same pages under the same idempotency keys; a lost
    /// attempt record means the page is sent again and the receiver drops the repeat. Syncing
    /// each of them would put a disk flush between every deadline and its firing. The group
    /// commit of alerts uses it too, and flushes before any sender hears "accepted".
    func unflushedWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
            return try openAlerts.track { try db.immediateTransaction { try body(db) } }
        }
    }

    /// Makes every transaction committed so far durable on disk: one sync of the write-ahead
    /// log, as a `synchronous = FULL` commit does.
    func flushWAL() throws {
        try database.writeWithoutTransaction { db in
            var log: UnsafeMutablePointer<sqlite3_file>?
            let found = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log)
            // No log open yet: this connection has committed nothing to flush.
            guard found == SQLITE_OK, let log, let methods = log.pointee.pMethods else { return }
            let code = methods.pointee.xSync(log, SQLITE_SYNC_NORMAL)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot flush the write-ahead log") }
        }
    }
}
