import GRDB

extension IncidentStore {
    /// A durable write for every request's path: one immediate transaction, flushed to disk
    /// before it returns (the connection's `synchronous = FULL`).
    func requestWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in try db.immediateTransaction { try body(db) } }
    }

    /// A transaction of the engine's own work: firing timers, claiming pages, recording attempts.
    ///
    /// Every such transaction can be replayed without harm: a timer whose firing is lost fires
    /// again and queues the same pages under the same idempotency keys; a lost attempt record
    /// means the page is sent again and the receiver drops the repeat. So these commits skip the
    /// WAL sync that commands (an alert accepted, an acknowledgement) wait for: they survive a
    /// crash of the process (`kill -9`), and the next command's sync makes them durable on disk
    /// too. Syncing each of them would put a disk flush between every deadline and its firing.
    func replayableWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
            return try db.immediateTransaction { try body(db) }
        }
    }
}
