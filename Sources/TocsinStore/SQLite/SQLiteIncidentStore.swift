import Foundation
import GRDB
import TocsinCore

/// The embedded store: the record in one SQLite file, for a single `tocsind`.
///
/// Every command is one SQLite transaction that changes state and appends the timeline
/// events recording the change, so the record and the state can never disagree, and a
/// caller hears "accepted" only once the transaction has committed.
public final class SQLiteIncidentStore: IncidentStore {
    let database: DatabasePool
    /// The firing alerts by dedup key.
    let openAlerts: OpenAlerts
    private let checkpointer: WALCheckpointer
    /// Every commit to the file is this store's: `WriterLock` keeps any other writer off it.
    public let changes = RecordChanges(unheardCommitsWithin: nil)

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// `maxPages` caps the file's size in pages (SQLite's `max_page_count`): past it, writes are
    /// refused as on a full disk.
    public init(path: String, maxPages: Int? = nil) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        // Another connection (the checkpoint thread, `tocsin verify`) may hold a lock for a moment.
        configuration.busyMode = LockWait.busyMode
        configuration.prepareDatabase { db in
            // Commits reach the log without a flush; the writes a caller waits on flush before
            // they return (`requestWrite`), the engine's replayable ones do not (`unflushedWrite`).
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            // 64 MiB of pages per connection rather than SQLite's 2 MiB: the alert indexes of
            // a busy day stay in memory instead of being read back from the file on every insert.
            try db.cachedStatement(sql: "PRAGMA cache_size = -65536").execute()
            // The log is copied back by `WALCheckpointer`, off the write path; SQLite's own
            // checkpoint (by default inside whichever commit takes the log past 1,000 pages,
            // which then waits 1-2 ms for the copy and its flush) is only the backstop.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.backstopPages)")
            if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
        }
        database = try DatabasePool(path: path, configuration: configuration)
        try Schema.migrator.migrate(database)
        try database.writeWithoutTransaction { try $0.flushWAL() }
        openAlerts = try database.read { try OpenAlerts(in: $0) }
        checkpointer = WALCheckpointer(path: path)
    }

    deinit {
        checkpointer.stop()
    }

    public func incidents() throws -> [Incident] {
        try database.read { db in
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM incident ORDER BY id DESC")).map(Incident.init(row:))
        }
    }

    public func incident(_ id: Int64) throws -> Incident {
        try database.read { db in try Self.incident(id, in: db) }
    }

    static func incident(_ id: Int64, in db: Database) throws -> Incident {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM incident WHERE id = ?"), arguments: [id]) else {
            throw StoreError.incidentNotFound(id)
        }
        return try Incident(row: row)
    }

    /// The incident's events in the order they happened.
    public func timeline(_ incidentID: Int64) throws -> [TimelineEvent] {
        try database.read { db in
            _ = try Self.incident(incidentID, in: db)
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM event WHERE incident_id = ? ORDER BY seq"), arguments: [incidentID])
                .map(TimelineEvent.init(row:))
        }
    }

    public func timeline(_ incidentID: Int64, after sequence: Int) throws -> [TimelineEvent] {
        try database.read { db in
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM event WHERE incident_id = ? AND seq > ? ORDER BY seq"), arguments: [incidentID, sequence])
                .map(TimelineEvent.init(row:))
        }
    }

    public func timeline(_ incidentID: Int64, before sequence: Int?, limit: Int) throws -> [TimelineEvent] {
        try database.read { db in
            _ = try Self.incident(incidentID, in: db)
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM event WHERE incident_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"),
                                    arguments: [incidentID, sequence ?? Int.max, limit])
                .reversed().map(TimelineEvent.init(row:))
        }
    }

    public func timeline(_ incidentID: Int64, kinds: Set<TimelineEventKind>) throws -> [TimelineEvent] {
        try database.read { db in
            _ = try Self.incident(incidentID, in: db)
            guard !kinds.isEmpty else { return [] }
            let names = kinds.map(\.rawValue).sorted()
            let places = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM event WHERE incident_id = ? AND kind IN (\(places)) ORDER BY seq"),
                                    arguments: StatementArguments([incidentID] + names.map { $0 as any DatabaseValueConvertible }))
                .map(TimelineEvent.init(row:))
        }
    }

    /// The earliest moment something is due: a timer, or a page waiting for its next attempt.
    public func nextWakeTime() throws -> Date? {
        try database.read { db in
            let timer = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MIN(due_at) FROM timer"))
            let page = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MIN(next_attempt_at) FROM page WHERE status = 'pending'"))
            return [timer, page].compactMap { $0 }.min().map(Date.init(millis:))
        }
    }
}
