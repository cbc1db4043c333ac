import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    /// Fires every timer due at or before `now`, oldest first, many to a transaction. Each
    /// batch locks its rows (`FOR UPDATE SKIP LOCKED`) and deletes them in the transaction that
    /// fires them: another instance skips what this one holds, and should this one die before
    /// its commit, the rows come free and fire elsewhere. A timer fires once.
    public func fireDueTimers(rules: ResponseRules, now: Date, batchSize: Int, onBatch: ([FiredTimer]) -> Void) throws -> [FiredTimer] {
        var fired: [FiredTimer] = []
        while true {
            let batch = try connections.transaction { session -> (fired: [FiredTimer], locked: Int) in
                let rows = try session.rows("""
                    SELECT * FROM timer WHERE due_at <= \(now.millis) ORDER BY due_at, id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                    """)
                var batch: [FiredTimer] = []
                for timer in rows {
                    // A timer an earlier one in the batch removed (an acknowledgement) is skipped.
                    guard try session.value("DELETE FROM timer WHERE id = \(try timer.value("id", as: Int64.self)) RETURNING id", as: Int64.self) != nil
                    else { continue }
                    batch.append(try Self.fire(timer, rules: rules, now: now, in: session))
                }
                return (batch, rows.count)
            }
            if !batch.fired.isEmpty { onBatch(batch.fired) }
            fired += batch.fired
            if batch.locked < batchSize { return fired }
        }
    }

    public func nextTimerDue(justCommitted: Bool) throws -> Date? {
        try connections.read { session in try session.value("SELECT MIN(due_at) FROM timer", as: Int64.self).map(Date.init(millis:)) }
    }

    private static func fire(_ timer: PostgresRandomAccessRow, rules: ResponseRules, now: Date, in session: PostgresSession) throws -> FiredTimer {
        let dueAt = try timer.date("due_at")
        let kind: String = try timer.value("kind")
        let incidentID: Int64? = try timer.value("incident_id")
        switch TimerKind(rawValue: kind) {
        case .escalation:
            try escalate(incidentID: incidentID!, step: try timer.value("step"), pass: try timer.value("pass"), dueAt: dueAt, rules: rules, in: session)
        case .acknowledgementTimeout:
            try acknowledgementTimedOut(incidentID: incidentID!, pass: try timer.value("pass"), dueAt: dueAt, rules: rules, in: session)
        case .severityReview:
            try reviewSeverity(alertID: try timer.value("alert_id"), rules: rules, now: now, in: session)
        case .updateReminder, .updateDue, .updateEscalation, .deadline:
            let incident = try incident(incidentID!, locked: true, in: session)
            let record = try procedureRecord(incident.id, in: session)
            try PostgresRecordWriter.write(Clocks.fire(TimerKind(rawValue: kind)!, subject: try timer.value("subject", as: String?.self) ?? "",
                                                       incident: incident, record: record, dueAt: dueAt, rules: rules), in: session)
        case .silenceEnd:
            try endSilence(try timer.value("silence_id"), at: now, rules: rules, in: session)
        case .heartbeatMissed:
            try missHeartbeat(try timer.value("heartbeat"), deadline: dueAt, rules: rules, now: now, in: session)
        case nil:
            break
        }
        return FiredTimer(kind: kind, incidentID: incidentID, dueAt: dueAt)
    }

    private static func reviewSeverity(alertID: Int64, rules: ResponseRules, now: Date, in session: PostgresSession) throws {
        guard let row = try session.row("SELECT * FROM alert WHERE id = \(alertID) AND status = 'firing' FOR UPDATE") else { return }
        let report = try row.alertReport()
        let severity = max(Severity(clamping: try row.value("severity", as: Int.self)), rules.severity.severity(of: report, at: now))
        try session.write("UPDATE alert SET severity = \(severity.rawValue) WHERE id = \(alertID)")
        try PostgresRecordWriter.write([.cancelTimers(.severityReview(alert: alertID))], in: session)
        _ = try classify(alertID: alertID, report: report, severity: severity, incidentID: try row.value("incident_id"), rules: rules, now: now,
                         silences: try activeSilences(at: now, in: session), in: session)
    }
}

extension PostgresIncidentStore {
    public func timers(of incidentID: Int64) throws -> [TimerRequest] {
        try connections.read { session in
            _ = try Self.incident(incidentID, in: session)
            return try session.rows("SELECT * FROM timer WHERE incident_id = \(incidentID) ORDER BY due_at, id").compactMap { row in
                try TimerKind(rawValue: row.value("kind")).map { kind in
                    TimerRequest(kind, dueAt: try row.date("due_at"), incidentID: incidentID, alertID: try row.value("alert_id", as: Int64?.self),
                                 step: try row.value("step", as: Int?.self), pass: try row.value("pass", as: Int.self),
                                 subject: try row.value("subject", as: String?.self))
                }
            }
        }
    }
}
