import GRDB
import GRDBSQLite

extension SQLiteIncidentStore {
    /// A durable write, for every command a person or a monitoring system waits on: one
    /// immediate transaction, flushed to disk before it returns.
    func requestWrite<T>(_ body: (Database) throws -> T) throws -> T {
        let result = try Self.refusingPlainly {
            try database.writeWithoutTransaction { db in
                let result = try openAlerts.track { try db.immediateTransaction { try body(db) } }
                try db.flushWAL()
                return result
            }
        }
        changes.committed()
        return result
    }

    /// A transaction committed without flushing the log (the connection's `synchronous =
    /// NORMAL`): it survives a crash of the process (`kill -9`) at once, and a crash of the
    /// machine once `flushWAL` (or any later durable write) has run.
    ///
    /// The engine's own work (firing timers, claiming pages, recording attempts) commits this
    /// way, because every such transaction can be replayed without harm: a timer whose firing
    /// is lost fires again and queues the same pages under the same idempotency keys; a lost
    /// attempt record means the page is sent again and the receiver drops the repeat. Flushing
    /// each of them would put a disk flush between every deadline and its firing. The group
    /// commit of alerts uses it too, and flushes before any sender hears "accepted".
    func unflushedWrite<T>(_ body: (Database) throws -> T) throws -> T {
        let result = try Self.refusingPlainly {
            try database.writeWithoutTransaction { db in try openAlerts.track { try db.immediateTransaction { try body(db) } } }
        }
        changes.committed()
        return result
    }

    /// A read through the writer's connection when `justCommitted` (its caller has just
    /// committed what it reads, and that connection's cache holds it), else through a reader.
    func read<T>(justCommitted: Bool, _ body: (Database) throws -> T) throws -> T {
        try justCommitted ? database.writeWithoutTransaction(body) : database.read(body)
    }

    /// Makes every transaction committed so far durable on disk.
    func flushWAL() throws {
        try Self.refusingPlainly { try database.writeWithoutTransaction { db in try db.flushWAL() } }
    }

    /// Runs `write`, turning SQLite's refusals to store anything (a full disk, a read-only or
    /// failing file, a lock held too long) into `StoreError.unavailable` in Tocsin's words:
    /// the caller answers 503 and the sender tries again, instead of a 500 quoting SQLite.
    static func refusingPlainly<T>(_ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch let error as DatabaseError {
            let reason: String? = switch error.resultCode {
            case .SQLITE_FULL: "the database's disk is full"
            case .SQLITE_READONLY: "the database file is read-only"
            case .SQLITE_IOERR: "the database's disk failed to read or write"
            case .SQLITE_CANTOPEN: "the database file cannot be opened"
            case .SQLITE_BUSY, .SQLITE_LOCKED: "the database stayed locked by another program too long"
            default: nil
            }
            guard let reason else { throw error }
            throw StoreError.unavailable(reason)
        }
    }
}

extension Database {
    /// Syncs the write-ahead log to disk, as a `synchronous = FULL` commit would: one
    /// `fdatasync` through SQLite's own file handle.
    func flushWAL() throws {
        var log: UnsafeMutablePointer<sqlite3_file>?
        let found = sqlite3_file_control(sqliteConnection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log)
        // No log open yet: this connection has committed nothing to flush.
        guard found == SQLITE_OK, let log, let methods = log.pointee.pMethods else { return }
        let code = methods.pointee.xSync(log, SQLITE_SYNC_NORMAL)
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot flush the write-ahead log") }
    }
}
