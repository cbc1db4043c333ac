import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Stores a validated silence and schedules its end.
    public func createSilence(_ request: SilenceRequest, by person: String, now: Date) throws -> Silence {
        try requestWrite { db in
            let start = request.startsAt ?? now
            try db.execute(
                sql: "INSERT INTO silence (matchers, starts_at, ends_at, created_by, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [try JSONText.encode(request.matchers), start.millis, request.endsAt.millis, person, request.comment, now.millis]
            )
            let id = db.lastInsertedRowID
            try RecordWriter.write([.timer(TimerRequest(.silenceEnd, dueAt: request.endsAt, silenceID: id))], in: db)
            return try Self.silence(id, in: db)
        }
    }

    /// Silences newest first; expired ones only when asked.
    public func silences(includingExpired: Bool, now: Date) throws -> [Silence] {
        try database.read { db in
            let all = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM silence ORDER BY id DESC")).map(Silence.init(row:))
            return includingExpired ? all : all.filter { $0.state(at: now) != .expired }
        }
    }

    public func silence(_ id: Int64) throws -> Silence {
        try database.read { db in try Self.silence(id, in: db) }
    }

    /// Ends a silence now, recording who ended it. Incidents it held that still fire start paging.
    public func expireSilence(_ id: Int64, by person: String, rules: ResponseRules, now: Date) throws -> Silence {
        try requestWrite { db in
            let silence = try Self.silence(id, in: db)
            guard silence.state(at: now) != .expired else { throw SilenceError.alreadyExpired(id) }
            try db.cachedStatement(sql: "UPDATE silence SET expired_at = ?, expired_by = ? WHERE id = ?").execute(arguments: [now.millis, person, id])
            try RecordWriter.write([.cancelTimers(.silenceEnd(id))], in: db)
            try Self.endSilence(id, at: now, rules: rules, in: db)
            return try Self.silence(id, in: db)
        }
    }

    static func silence(_ id: Int64, in db: Database) throws -> Silence {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM silence WHERE id = ?"), arguments: [id]) else {
            throw SilenceError.notFound(id)
        }
        return try Silence(row: row)
    }

    /// The silences in force at `now`, the longest-lasting first: read once for a whole batch
    /// of alerts, since nothing in an ingest transaction changes them.
    static func activeSilences(at now: Date, in db: Database) throws -> [Silence] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM silence WHERE starts_at <= ? AND ends_at > ? AND expired_at IS NULL ORDER BY ends_at DESC, id"),
                         arguments: [now.millis, now.millis]).map(Silence.init(row:))
    }

    /// When a silence ends, each incident it held whose alerts still fire is weighed (see
    /// `SilenceHold.ended`).
    static func endSilence(_ id: Int64?, at now: Date, rules: ResponseRules, in db: Database) throws {
        guard let id else { return }
        let ended = try silence(id, in: db)
        let incidents = try Int64.fetchAll(db, sql: """
            SELECT DISTINCT incident_id FROM alert
            WHERE silenced_by = ? AND status = 'firing' AND incident_id IS NOT NULL ORDER BY incident_id
            """, arguments: [id])
        for incidentID in incidents {
            let incident = try incident(incidentID, in: db)
            let escalating = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM timer WHERE kind = ? AND incident_id = ?"),
                                              arguments: [TimerKind.escalation.rawValue, incidentID]) ?? 0
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM alert WHERE incident_id = ? AND status = 'firing' ORDER BY id LIMIT 1"),
                                             arguments: [incidentID]) else { continue }
            let changes = SilenceHold.ended(ended, incident: incident, alert: try AlertReport(row: row), escalating: escalating > 0,
                                            previousPass: try previousPass(of: incidentID, in: db), activeSilences: try activeSilences(at: now, in: db),
                                            rules: rules, now: now)
            try RecordWriter.write(changes, in: db)
        }
    }
}

extension Silence {
    init(row: Row) throws {
        let matchersJSON: String = row["matchers"]
        self.init(
            id: row["id"],
            matchers: try JSONDecoder().decode([SilenceMatcher].self, from: Data(matchersJSON.utf8)),
            startsAt: Date(millis: row["starts_at"]),
            endsAt: Date(millis: row["ends_at"]),
            createdBy: row["created_by"],
            comment: row["comment"],
            createdAt: Date(millis: row["created_at"]),
            expiredAt: (row["expired_at"] as Int64?).map(Date.init(millis:)),
            expiredBy: row["expired_by"]
        )
    }
}
