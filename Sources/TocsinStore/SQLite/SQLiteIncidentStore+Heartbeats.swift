import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Makes the stored heartbeats those of the config: adds new ones, updates changed ones
    /// (a changed interval moves the pending deadline), and drops removed ones, resolving
    /// their alert if it fires. Called when the daemon starts.
    public func declareHeartbeats(_ heartbeats: [Heartbeat], rules: ResponseRules, now: Date) throws {
        try requestWrite { db in
            let declared = Set(heartbeats.map(\.name))
            for name in try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM heartbeat")) where !declared.contains(name) {
                try RecordWriter.write([.cancelTimers(.heartbeat(name))], in: db)
                var outcome = IngestOutcome()
                let gone = AlertReport(source: "heartbeat", dedupKey: "heartbeat:\(name)", summary: "", service: "", status: .resolved, startsAt: now)
                try Self.ingest(gone, rules: rules, now: now, outcome: &outcome, openAlerts: openAlerts, in: db)
                try db.cachedStatement(sql: "DELETE FROM heartbeat WHERE name = ?").execute(arguments: [name])
            }
            for heartbeat in heartbeats {
                try db.execute(
                    sql: """
                        INSERT INTO heartbeat (name, interval_ms, service, summary, labels, declared_at) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET interval_ms = excluded.interval_ms, service = excluded.service,
                            summary = excluded.summary, labels = excluded.labels
                        """,
                    arguments: [heartbeat.name, Int64(heartbeat.interval.seconds * 1000), heartbeat.service, heartbeat.summary,
                                JSONText.encode(heartbeat.labels), now.millis]
                )
                if let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_check_in_at FROM heartbeat WHERE name = ?"), arguments: [heartbeat.name]),
                   try Self.isWaitingForCheckIn(heartbeat.name, in: db) {
                    try Self.armDeadline(heartbeat, after: Date(millis: last), in: db)
                }
            }
        }
    }

    /// Records a check-in: the next deadline is one interval from now, and an alert raised by
    /// an earlier missed check-in resolves.
    public func checkIn(heartbeat name: String, rules: ResponseRules, now: Date) throws -> HeartbeatStatus {
        try requestWrite { db in
            let heartbeat = try Self.heartbeat(name, in: db)
            try db.cachedStatement(sql: "UPDATE heartbeat SET last_check_in_at = ?, check_ins = check_ins + 1 WHERE name = ?").execute(arguments: [now.millis, name])
            try Self.armDeadline(heartbeat, after: now, in: db)
            var outcome = IngestOutcome()
            try Self.ingest(heartbeat.alert(.resolved, deadline: now), rules: rules, now: now, outcome: &outcome, openAlerts: openAlerts, in: db)
            return try Self.heartbeatStatus(heartbeat, missed: openAlerts.id(of: heartbeat.dedupKey) != nil, in: db)
        }
    }

    public func heartbeats() throws -> [HeartbeatStatus] {
        try database.read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM heartbeat ORDER BY name")).map { name in
                let heartbeat = try Self.heartbeat(name, in: db)
                return try Self.heartbeatStatus(heartbeat, missed: openAlerts.committedID(of: heartbeat.dedupKey) != nil, in: db)
            }
        }
    }

    /// The deadline passed without a check-in: raise the heartbeat's alert through the same
    /// path as any other alert, as starting at the deadline and received `now` (later than the
    /// deadline only when the daemon was down: then paging starts now, with the primary). It
    /// stays firing until the next check-in.
    /// Raises the heartbeat's alert; returns the severity of the incident it opened, if it opened one.
    @discardableResult
    static func missHeartbeat(_ name: String?, deadline: Date, rules: ResponseRules, now: Date, openAlerts: OpenAlerts, in db: Database) throws -> Severity? {
        guard let name, let heartbeat = try? heartbeat(name, in: db) else { return nil }
        var outcome = IngestOutcome()
        var alert = heartbeat.alert(.firing, deadline: deadline)
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_check_in_at FROM heartbeat WHERE name = ?"), arguments: [name])
        alert.details["last_check_in_at"] = last.map { UTCTime.string(Date(millis: $0)) }
        try ingest(alert, rules: rules, now: now, outcome: &outcome, openAlerts: openAlerts, in: db)
        return outcome.openedSeverities.first
    }

    private static func armDeadline(_ heartbeat: Heartbeat, after checkIn: Date, in db: Database) throws {
        try RecordWriter.write([.cancelTimers(.heartbeat(heartbeat.name)),
                                .timer(TimerRequest(.heartbeatMissed, dueAt: checkIn.addingTimeInterval(heartbeat.interval.seconds), heartbeat: heartbeat.name))], in: db)
    }

    /// True while the next deadline is pending (not yet missed).
    private static func isWaitingForCheckIn(_ name: String, in db: Database) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM timer WHERE kind = ? AND heartbeat = ?"), arguments: [TimerKind.heartbeatMissed.rawValue, name]) ?? 0 > 0
    }

    static func heartbeat(_ name: String, in db: Database) throws -> Heartbeat {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM heartbeat WHERE name = ?"), arguments: [name]) else {
            throw HeartbeatError.notDeclared(name, known: try String.fetchAll(db.cachedStatement(sql: "SELECT name FROM heartbeat ORDER BY name")))
        }
        let labelsJSON: String = row["labels"]
        return Heartbeat(name: name, interval: .milliseconds(row["interval_ms"] as Int64), service: row["service"], summary: row["summary"],
                         labels: try JSONDecoder().decode([String: String].self, from: Data(labelsJSON.utf8)))
    }

    private static func heartbeatStatus(_ heartbeat: Heartbeat, missed: Bool, in db: Database) throws -> HeartbeatStatus {
        let name = heartbeat.name
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_check_in_at, check_ins FROM heartbeat WHERE name = ?"), arguments: [name])
        let due = try Int64.fetchOne(db.cachedStatement(sql: "SELECT due_at FROM timer WHERE kind = ? AND heartbeat = ?"), arguments: [TimerKind.heartbeatMissed.rawValue, name])
        return HeartbeatStatus(name: name, intervalSeconds: heartbeat.interval.seconds,
                               lastCheckInAt: (row?["last_check_in_at"] as Int64?).map(Date.init(millis:)),
                               dueAt: due.map(Date.init(millis:)), checkIns: row?["check_ins"] ?? 0, missed: missed)
    }
}
