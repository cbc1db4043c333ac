import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    /// Makes the stored heartbeats those of the config, as `SQLiteIncidentStore.declareHeartbeats` does.
    public func declareHeartbeats(_ heartbeats: [Heartbeat], rules: ResponseRules, now: Date) throws {
        try connections.transaction { session in
            // Instances starting together declare one after the other.
            try session.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey + 1))")
            let declared = Set(heartbeats.map(\.name))
            for name in try session.rows("SELECT name FROM heartbeat").map({ try $0.value("name", as: String.self) }) where !declared.contains(name) {
                try PostgresRecordWriter.write([.cancelTimers(.heartbeat(name))], in: session)
                var outcome = IngestOutcome()
                let gone = AlertReport(source: "heartbeat", dedupKey: "heartbeat:\(name)", summary: "", service: "", status: .resolved, startsAt: now)
                try Self.ingest(PreparedAlert(gone), rules: rules, now: now, silences: try Self.activeSilences(at: now, in: session), outcome: &outcome, in: session)
                try session.write("DELETE FROM heartbeat WHERE name = \(name)")
            }
            for heartbeat in heartbeats {
                try session.write("""
                    INSERT INTO heartbeat (name, interval_ms, service, summary, labels, declared_at)
                    VALUES (\(heartbeat.name), \(Int64(heartbeat.interval.seconds * 1000)), \(heartbeat.service), \(heartbeat.summary),
                            \(JSONText.encode(heartbeat.labels)), \(now.millis))
                    ON CONFLICT (name) DO UPDATE SET interval_ms = excluded.interval_ms, service = excluded.service,
                        summary = excluded.summary, labels = excluded.labels
                    """)
                let waiting = try session.value("SELECT COUNT(*) FROM timer WHERE kind = \(TimerKind.heartbeatMissed.rawValue) AND heartbeat = \(heartbeat.name)",
                                                as: Int.self) ?? 0 > 0
                if let last = try session.value("SELECT last_check_in_at FROM heartbeat WHERE name = \(heartbeat.name)", as: Int64.self), waiting {
                    try Self.armDeadline(heartbeat, after: Date(millis: last), in: session)
                }
            }
        }
    }

    public func checkIn(heartbeat name: String, rules: ResponseRules, now: Date) throws -> HeartbeatStatus {
        try connections.transaction { session in
            let heartbeat = try Self.heartbeat(name, locked: true, in: session)
            try session.write("UPDATE heartbeat SET last_check_in_at = \(now.millis), check_ins = check_ins + 1 WHERE name = \(name)")
            try Self.armDeadline(heartbeat, after: now, in: session)
            var outcome = IngestOutcome()
            try Self.ingest(PreparedAlert(heartbeat.alert(.resolved, deadline: now)), rules: rules, now: now,
                            silences: try Self.activeSilences(at: now, in: session), outcome: &outcome, in: session)
            return try Self.heartbeatStatus(heartbeat, in: session)
        }
    }

    public func heartbeats() throws -> [HeartbeatStatus] {
        try connections.read { session in
            try session.rows("SELECT name FROM heartbeat ORDER BY name").map { row in
                try Self.heartbeatStatus(try Self.heartbeat(try row.value("name"), in: session), in: session)
            }
        }
    }

    /// The deadline passed without a check-in: the heartbeat's alert fires, as any other alert.
    /// Raises the heartbeat's alert; returns the severity of the incident it opened, if it opened one.
    @discardableResult
    static func missHeartbeat(_ name: String?, deadline: Date, rules: ResponseRules, now: Date, in session: PostgresSession) throws -> Severity? {
        guard let name, let heartbeat = try? heartbeat(name, in: session) else { return nil }
        var outcome = IngestOutcome()
        var alert = heartbeat.alert(.firing, deadline: deadline)
        let last = try session.value("SELECT last_check_in_at FROM heartbeat WHERE name = \(name)", as: Int64.self)
        alert.details["last_check_in_at"] = last.map { UTCTime.string(Date(millis: $0)) }
        try ingest(PreparedAlert(alert), rules: rules, now: now, silences: try activeSilences(at: now, in: session), outcome: &outcome, in: session)
        return outcome.openedSeverities.first
    }

    private static func armDeadline(_ heartbeat: Heartbeat, after checkIn: Date, in session: PostgresSession) throws {
        try PostgresRecordWriter.write([.cancelTimers(.heartbeat(heartbeat.name)),
                                        .timer(TimerRequest(.heartbeatMissed, dueAt: checkIn.addingTimeInterval(heartbeat.interval.seconds),
                                                            heartbeat: heartbeat.name))], in: session)
    }

    static func heartbeat(_ name: String, locked: Bool = false, in session: PostgresSession) throws -> Heartbeat {
        let query: PostgresStatement = locked ? "SELECT * FROM heartbeat WHERE name = \(name) FOR UPDATE" : "SELECT * FROM heartbeat WHERE name = \(name)"
        guard let row = try session.row(query) else {
            throw HeartbeatError.notDeclared(name, known: try session.rows("SELECT name FROM heartbeat ORDER BY name").map { try $0.value("name") })
        }
        return Heartbeat(name: name, interval: .milliseconds(try row.value("interval_ms", as: Int64.self)), service: try row.value("service"),
                         summary: try row.value("summary"), labels: try JSONText.stringMap(try row.value("labels")))
    }

    private static func heartbeatStatus(_ heartbeat: Heartbeat, in session: PostgresSession) throws -> HeartbeatStatus {
        let name = heartbeat.name
        let row = try session.row("SELECT last_check_in_at, check_ins FROM heartbeat WHERE name = \(name)")
        let due = try session.value("SELECT due_at FROM timer WHERE kind = \(TimerKind.heartbeatMissed.rawValue) AND heartbeat = \(name)", as: Int64.self)
        let missed = try session.value("SELECT COUNT(*) FROM alert WHERE dedup_key = \(heartbeat.dedupKey) AND status = 'firing'", as: Int.self) ?? 0 > 0
        return HeartbeatStatus(name: name, intervalSeconds: heartbeat.interval.seconds, lastCheckInAt: try row?.optionalDate("last_check_in_at"),
                               dueAt: due.map(Date.init(millis:)), checkIns: try row?.value("check_ins") ?? 0, missed: missed)
    }
}
