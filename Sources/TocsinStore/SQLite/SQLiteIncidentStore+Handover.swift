import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    public func writeHandover(now: Date, _ decide: (_ incidents: [Incident], _ written: [Handover]) throws -> Handover) throws -> Handover {
        try requestWrite { db in
            let written = try Self.handovers(changingAfter: now.addingTimeInterval(-Self.handoverLookBack), in: db)
            var handover = try decide(try Self.openIncidents(in: db), written)
            try db.execute(sql: "INSERT INTO handover (role, shift_change_at, body) VALUES (?, ?, '{}')",
                           arguments: [handover.role.rawValue, handover.shiftChange.millis])
            handover.id = db.lastInsertedRowID
            try Self.write(handover, at: now, in: db)
            try RecordWriter.write([handover.acknowledgementClock], in: db)
            return handover
        }
    }

    public func acknowledgeHandover(_ id: Int64, now: Date, _ decide: (Handover) throws -> Handover) throws -> Handover {
        try requestWrite { db in
            let handover = try decide(try Self.handover(id, in: db))
            try Self.write(handover, at: now, in: db)
            try RecordWriter.write([.cancelTimers(.handover(id))], in: db)
            return handover
        }
    }

    public func handover(_ id: Int64) throws -> Handover {
        try read(justCommitted: false) { db in try Self.handover(id, in: db) }
    }

    public func handovers(changingAfter instant: Date?) throws -> [Handover] {
        try read(justCommitted: false) { db in try Self.handovers(changingAfter: instant, in: db) }
    }

    public func planShiftStarts(_ timers: [TimerRequest]) throws {
        try unflushedWrite { db in try RecordWriter.write([.cancelTimers(.shiftStarts)] + timers.map(RecordChange.timer), in: db) }
    }

    /// How far back the handovers a new one is checked against go.
    static let handoverLookBack: TimeInterval = 86_400

    /// Step `step` of handover `subject`'s missed acknowledgement.
    static func handoverMissed(subject: String?, step: Int?, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        guard let id = subject.flatMap(Int64.init), let handover = try? handover(id, in: db) else { return }
        try RecordWriter.write(handover.acknowledgementMissed(step: step ?? 0, dueAt: dueAt, roster: rules.roster, rules: rules.handover), in: db)
    }

    /// Role `subject`'s shift starting at `dueAt`.
    static func startShift(subject: String?, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        guard let subject else { return }
        let handovers = try String.fetchAll(db, sql: "SELECT body FROM handover WHERE role = ? AND shift_change_at = ? ORDER BY id",
                                            arguments: [subject, dueAt.millis]).map(Self.decodeHandover)
        try RecordWriter.write(ShiftStart.fire(role: Role(subject), dueAt: dueAt, roster: rules.roster, incidents: try openIncidents(in: db),
                                               handovers: handovers), in: db)
    }

    static func openIncidents(in db: Database) throws -> [Incident] {
        try Row.fetchAll(db, sql: "SELECT * FROM incident WHERE stage <> 'closed' ORDER BY id").map(Incident.init(row:))
    }

    private static func handover(_ id: Int64, in db: Database) throws -> Handover {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM handover WHERE id = ?", arguments: [id]) else { throw HandoverError.notFound(id) }
        return try decodeHandover(body)
    }

    private static func handovers(changingAfter instant: Date?, in db: Database) throws -> [Handover] {
        try String.fetchAll(db, sql: "SELECT body FROM handover WHERE shift_change_at > ? ORDER BY id", arguments: [instant?.millis ?? Int64.min])
            .map(decodeHandover)
    }

    private static func decodeHandover(_ body: String) throws -> Handover {
        try TocsinJSON.decoder.decode(Handover.self, from: Data(body.utf8))
    }

    /// Writes `handover` over its row and records it on the system timeline.
    private static func write(_ handover: Handover, at instant: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE handover SET acknowledged_at = ?, body = ? WHERE id = ?",
                       arguments: [handover.acknowledgedAt?.millis, try JSONText.encode(handover), handover.id])
        try Timeline.append(handover.auditEvent(at: instant), in: db)
    }
}
