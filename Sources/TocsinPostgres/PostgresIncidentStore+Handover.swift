import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func writeHandover(now: Date, _ decide: (_ incidents: [Incident], _ written: [Handover]) throws -> Handover) throws -> Handover {
        try connections.transaction { session in
            let written = try Self.handovers(changingAfter: now.addingTimeInterval(-86_400), in: session)
            var handover = try decide(try Self.openIncidents(in: session), written)
            let inserted = try session.value("""
                INSERT INTO handover (role, shift_change_at, body) VALUES (\(handover.role.rawValue), \(handover.shiftChange.millis), '{}')
                ON CONFLICT (role, shift_change_at) DO NOTHING RETURNING id
                """, as: Int64.self)
            // Another instance stored one for this shift change a moment ago.
            guard let id = inserted else { throw HandoverError.conflict("A handover of \(handover.role) at \(UTCTime.string(handover.shiftChange)) is written already.") }
            handover.id = id
            try Self.write(handover, at: now, in: session)
            try PostgresRecordWriter.write([handover.acknowledgementClock], in: session)
            return handover
        }
    }

    public func acknowledgeHandover(_ id: Int64, now: Date, _ decide: (Handover) throws -> Handover) throws -> Handover {
        try connections.transaction { session in
            let handover = try decide(try Self.handover(id, locked: true, in: session))
            try Self.write(handover, at: now, in: session)
            try PostgresRecordWriter.write([.cancelTimers(.handover(id))], in: session)
            return handover
        }
    }

    public func handover(_ id: Int64) throws -> Handover {
        try connections.read { session in try Self.handover(id, in: session) }
    }

    public func handovers(changingAfter instant: Date?) throws -> [Handover] {
        try connections.read { session in try Self.handovers(changingAfter: instant, in: session) }
    }

    /// Under an advisory lock, so that instances planning at once leave one timer a role.
    public func planShiftStarts(_ timers: [TimerRequest]) throws {
        try connections.transaction { session in
            try session.execute("SELECT pg_advisory_xact_lock(\(Self.shiftPlanLock))")
            try PostgresRecordWriter.write([.cancelTimers(.shiftStarts)] + timers.map(RecordChange.timer), in: session)
        }
    }

    /// "shifts" in ASCII.
    static let shiftPlanLock: Int64 = 0x73_6869_6674_73

    static func handoverMissed(subject: String?, step: Int?, dueAt: Date, rules: ResponseRules, in session: PostgresSession) throws {
        guard let id = subject.flatMap(Int64.init), let handover = try? handover(id, locked: true, in: session) else { return }
        try PostgresRecordWriter.write(handover.acknowledgementMissed(step: step ?? 0, dueAt: dueAt, roster: rules.roster, rules: rules.handover), in: session)
    }

    static func startShift(subject: String?, dueAt: Date, rules: ResponseRules, in session: PostgresSession) throws {
        guard let subject else { return }
        let handovers = try session.rows("SELECT body FROM handover WHERE role = \(subject) AND shift_change_at = \(dueAt.millis) ORDER BY id")
            .map { try decodeHandover(try $0.value("body")) }
        try PostgresRecordWriter.write(ShiftStart.fire(role: Role(subject), dueAt: dueAt, roster: rules.roster, incidents: try openIncidents(in: session),
                                                       handovers: handovers), in: session)
    }

    static func openIncidents(in session: PostgresSession) throws -> [Incident] {
        try session.rows("SELECT * FROM incident WHERE stage <> 'closed' ORDER BY id").map { try $0.incident() }
    }

    private static func handover(_ id: Int64, locked: Bool = false, in session: PostgresSession) throws -> Handover {
        let query: PostgresStatement = locked ? "SELECT body FROM handover WHERE id = \(id) FOR UPDATE" : "SELECT body FROM handover WHERE id = \(id)"
        guard let body = try session.value(query, as: String.self) else { throw HandoverError.notFound(id) }
        return try decodeHandover(body)
    }

    private static func handovers(changingAfter instant: Date?, in session: PostgresSession) throws -> [Handover] {
        try session.rows("SELECT body FROM handover WHERE shift_change_at > \(instant?.millis ?? Int64.min) ORDER BY id").map { try decodeHandover(try $0.value("body")) }
    }

    private static func decodeHandover(_ body: String) throws -> Handover {
        try TocsinJSON.decoder.decode(Handover.self, from: Data(body.utf8))
    }

    /// Writes `handover` over its row and records it on the system timeline.
    private static func write(_ handover: Handover, at instant: Date, in session: PostgresSession) throws {
        try session.write("UPDATE handover SET acknowledged_at = \(handover.acknowledgedAt?.millis), body = \(try JSONText.encode(handover)) WHERE id = \(handover.id)")
        try PostgresTimeline.append(handover.auditEvent(at: instant), in: session)
    }
}
