import Foundation
import GRDB
import TocsinCore

/// Why the store refused a silence command.
public enum SilenceError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(Int64)
    case alreadyExpired(Int64)

    public var description: String {
        switch self {
        case .notFound(let id): "There is no silence \(id). GET /api/v1/silences lists them."
        case .alreadyExpired(let id): "Silence \(id) has already ended."
        }
    }
}

extension IncidentStore {
    /// Stores a validated silence and schedules its end.
    public func createSilence(_ request: SilenceRequest, by person: String, now: Date) throws -> Silence {
        try requestWrite { db in
            let start = request.startsAt ?? now
            try db.execute(
                sql: "INSERT INTO silence (matchers, starts_at, ends_at, created_by, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [try JSONText.encode(request.matchers), start.millis, request.endsAt.millis, person, request.comment, now.millis]
            )
            let id = db.lastInsertedRowID
            try db.cachedStatement(sql: "INSERT INTO timer (kind, due_at, silence_id) VALUES (?, ?, ?)").execute(
                           arguments: [TimerKind.silenceEnd.rawValue, request.endsAt.millis, id])
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
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ? AND silence_id = ?").execute(arguments: [TimerKind.silenceEnd.rawValue, id])
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

    /// The active silence that covers `report` at `now`; of several, the one that lasts longest.
    static func activeSilence(covering report: AlertReport, at now: Date, in db: Database) throws -> Silence? {
        try activeSilences(at: now, in: db).first { $0.matches(report) }
    }

    /// The silences in force at `now`, the longest-lasting first: read once for a whole batch
    /// of alerts, since nothing in an ingest transaction changes them.
    static func activeSilences(at now: Date, in db: Database) throws -> [Silence] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM silence WHERE starts_at <= ? AND ends_at > ? AND expired_at IS NULL ORDER BY ends_at DESC, id"),
                         arguments: [now.millis, now.millis]).map(Silence.init(row:))
    }

    /// Records that `silence` holds an incident: its firing alerts name the silence, and the
    /// timeline says who silenced it, why and until when. No escalation is scheduled.
    static func holdSilenced(incidentID: Int64, by silence: Silence, now: Date, in db: Database, after ended: Silence? = nil) throws {
        try db.cachedStatement(sql: "UPDATE alert SET silenced_by = ? WHERE incident_id = ? AND status = 'firing'").execute(arguments: [silence.id, incidentID])
        var detail = [
            "silence": "\(silence.id)", "created_by": silence.createdBy, "comment": silence.comment,
            "until": UTCTime.string(silence.endsAt), "matchers": silence.matchers.map(\.text).joined(separator: ", "),
        ]
        detail["after_silence"] = ended.map { "\($0.id)" }
        try Timeline.append(.silenced, incident: incidentID, actor: "tocsin", at: now, detail: detail, in: db)
    }

    /// When a silence ends, each unacknowledged incident it held whose alerts still fire
    /// starts paging from step 0, unless another active silence covers it.
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
            guard incident.acknowledgedAt == nil, escalating == 0,
                  let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM alert WHERE incident_id = ? AND status = 'firing' ORDER BY id LIMIT 1"), arguments: [incidentID])
            else { continue }
            if let other = try activeSilence(covering: try AlertReport(row: row), at: now, in: db) {
                try holdSilenced(incidentID: incidentID, by: other, now: now, in: db, after: ended)
                continue
            }
            try Timeline.append(.silenceEnded, incident: incidentID, actor: "tocsin", at: now,
                                detail: ["silence": "\(id)", "ended_by": ended.expiredBy ?? "its end time", "reason": "still firing; paging starts"], in: db)
            try startPaging(incident, at: now, rules: rules, in: db)
            // The procedure's clocks (update cadences, deadlines) were held with the paging; they
            // run from now, when the response begins.
            var responding = incident
            responding.openedAt = now
            try Clocks.start(for: responding, rules: rules.procedure, in: db)
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
