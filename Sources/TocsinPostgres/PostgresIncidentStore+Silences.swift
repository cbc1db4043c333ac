import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func createSilence(_ request: SilenceRequest, by person: String, now: Date) throws -> Silence {
        try connections.transaction { session in
            let id = try session.value("""
                INSERT INTO silence (matchers, starts_at, ends_at, created_by, comment, created_at)
                VALUES (\(try JSONText.encode(request.matchers)), \((request.startsAt ?? now).millis), \(request.endsAt.millis), \(person),
                        \(request.comment), \(now.millis))
                RETURNING id
                """, as: Int64.self)!
            try PostgresRecordWriter.write([.timer(TimerRequest(.silenceEnd, dueAt: request.endsAt, silenceID: id))], in: session)
            return try Self.silence(id, in: session)
        }
    }

    public func silences(includingExpired: Bool, now: Date) throws -> [Silence] {
        try connections.read { session in
            let all = try session.rows("SELECT * FROM silence ORDER BY id DESC").map { try $0.silence() }
            return includingExpired ? all : all.filter { $0.state(at: now) != .expired }
        }
    }

    public func silence(_ id: Int64) throws -> Silence {
        try connections.read { session in try Self.silence(id, in: session) }
    }

    public func expireSilence(_ id: Int64, by person: String, rules: ResponseRules, now: Date) throws -> Silence {
        try connections.transaction { session in
            try session.execute("SELECT 1 FROM silence WHERE id = \(id) FOR UPDATE")
            let silence = try Self.silence(id, in: session)
            guard silence.state(at: now) != .expired else { throw SilenceError.alreadyExpired(id) }
            try session.write("UPDATE silence SET expired_at = \(now.millis), expired_by = \(person) WHERE id = \(id)")
            try PostgresRecordWriter.write([.cancelTimers(.silenceEnd(id))], in: session)
            try Self.endSilence(id, at: now, rules: rules, in: session)
            return try Self.silence(id, in: session)
        }
    }

    static func silence(_ id: Int64, in session: PostgresSession) throws -> Silence {
        guard let row = try session.row("SELECT * FROM silence WHERE id = \(id)") else { throw SilenceError.notFound(id) }
        return try row.silence()
    }

    /// When a silence ends, each incident it held whose alerts still fire is weighed (see `SilenceHold.ended`).
    static func endSilence(_ id: Int64?, at now: Date, rules: ResponseRules, in session: PostgresSession) throws {
        guard let id else { return }
        let ended = try silence(id, in: session)
        let incidents = try session.rows("""
            SELECT DISTINCT incident_id FROM alert WHERE silenced_by = \(id) AND status = 'firing' AND incident_id IS NOT NULL ORDER BY incident_id
            """).map { try $0.value("incident_id", as: Int64.self) }
        for incidentID in incidents {
            let incident = try incident(incidentID, locked: true, in: session)
            let escalating = try session.value("SELECT COUNT(*) FROM timer WHERE kind = \(TimerKind.escalation.rawValue) AND incident_id = \(incidentID)",
                                               as: Int.self) ?? 0
            guard let row = try session.row("SELECT * FROM alert WHERE incident_id = \(incidentID) AND status = 'firing' ORDER BY id LIMIT 1") else { continue }
            let changes = SilenceHold.ended(ended, incident: incident, alert: try row.alertReport(), escalating: escalating > 0,
                                            previousPass: try previousPass(of: incidentID, in: session),
                                            activeSilences: try activeSilences(at: now, in: session).all(), rules: rules, now: now)
            try PostgresRecordWriter.write(changes, in: session)
        }
    }
}
