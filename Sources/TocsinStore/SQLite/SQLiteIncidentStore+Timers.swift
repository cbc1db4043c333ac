import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Fires every timer due at or before `now`, oldest first, many to a transaction (one
    /// commit for a whole batch keeps up with thousands of deadlines a second), and returns
    /// what fired. Timers a firing makes due at once (an overdue next step) fire too.
    /// `onBatch` hears each batch as soon as it has committed.
    @discardableResult
    public func fireDueTimers(rules: ResponseRules, now: Date, batchSize: Int = 512, onBatch: ([FiredTimer]) -> Void = { _ in }) throws -> [FiredTimer] {
        var fired: [FiredTimer] = []
        while true {
            // A wake-up with nothing due reads and never takes the single writer from a commit.
            let anyDue = try database.read { db in
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM timer WHERE due_at <= ?)"), arguments: [now.millis])
            }
            guard anyDue == true else { return fired }
            let batch = try unflushedWrite { db -> [FiredTimer] in
                let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM timer WHERE due_at <= ? ORDER BY due_at, id LIMIT ?"), arguments: [now.millis, batchSize])
                var batch: [FiredTimer] = []
                for timer in rows {
                    // A timer an earlier one in the batch removed (an acknowledgement) is skipped.
                    guard try Self.deleteTimer(timer["id"], in: db) else { continue }
                    batch.append(try Self.fire(timer, rules: rules, now: now, openAlerts: openAlerts, in: db))
                }
                return batch
            }
            if !batch.isEmpty { onBatch(batch) }
            fired += batch
            // A short batch took every due row; rows it made due at once are found by the next call.
            if batch.count < batchSize { return fired }
        }
    }

    /// The earliest due time of any timer.
    /// `justCommitted` as for `claimDuePages`.
    public func nextTimerDue(justCommitted: Bool = false) throws -> Date? {
        try read(justCommitted: justCommitted) { db in try Int64.fetchOne(try db.cachedStatement(sql: "SELECT MIN(due_at) FROM timer")).map(Date.init(millis:)) }
    }

    private static func deleteTimer(_ id: Int64, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "DELETE FROM timer WHERE id = ?").execute(arguments: [id])
        return db.changesCount > 0
    }

    private static func fire(_ timer: Row, rules: ResponseRules, now: Date, openAlerts: OpenAlerts, in db: Database) throws -> FiredTimer {
        let dueAt = Date(millis: timer["due_at"])
        let kind: String = timer["kind"]
        var openedSeverity: Severity?
        switch TimerKind(rawValue: kind) {
        case .escalation:
            try escalate(incidentID: timer["incident_id"], step: timer["step"], pass: timer["pass"], dueAt: dueAt, rules: rules, in: db)
        case .acknowledgementTimeout:
            try acknowledgementTimedOut(incidentID: timer["incident_id"], pass: timer["pass"], dueAt: dueAt, rules: rules, in: db)
        case .severityReview:
            openedSeverity = try reviewSeverity(alertID: timer["alert_id"], rules: rules, now: now, in: db)
        case .updateReminder, .updateDue, .updateEscalation, .deadline:
            let incident = try incident(timer["incident_id"], in: db)
            let record = try procedureRecord(incident.id, in: db)
            try RecordWriter.write(Clocks.fire(TimerKind(rawValue: kind)!, subject: timer["subject"] ?? "", incident: incident, record: record,
                                               dueAt: dueAt, rules: rules), in: db)
        case .silenceEnd:
            try endSilence(timer["silence_id"], at: now, rules: rules, in: db)
        case .heartbeatMissed:
            openedSeverity = try missHeartbeat(timer["heartbeat"], deadline: dueAt, rules: rules, now: now, openAlerts: openAlerts, in: db)
        case .drillInjection:
            try inject(subject: timer["subject"] ?? "", incidentID: timer["incident_id"], dueAt: dueAt, rules: rules, in: db)
        case .handoverMissed:
            try handoverMissed(subject: timer["subject"], step: timer["step"], dueAt: dueAt, rules: rules, in: db)
        case .shiftStart:
            try startShift(subject: timer["subject"], dueAt: dueAt, rules: rules, in: db)
        case nil:
            break
        }
        return FiredTimer(kind: kind, incidentID: timer["incident_id"], dueAt: dueAt, openedSeverity: openedSeverity)
    }

    /// Returns the severity of the incident the review opened, if it opened one.
    private static func reviewSeverity(alertID: Int64, rules: ResponseRules, now: Date, in db: Database) throws -> Severity? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM alert WHERE id = ? AND status = 'firing'"), arguments: [alertID]) else { return nil }
        let report = try AlertReport(row: row)
        let severity = max(Severity(clamping: row["severity"]), rules.severity.severity(of: report, at: now))
        try db.cachedStatement(sql: "UPDATE alert SET severity = ? WHERE id = ?").execute(arguments: [severity.rawValue, alertID])
        try RecordWriter.write([.cancelTimers(.severityReview(alert: alertID))], in: db)
        let opened = try classify(alertID: alertID, report: report, severity: severity, incidentID: row["incident_id"], rules: rules, now: now,
                         silences: try activeSilences(at: now, in: db), in: db)
        return opened == nil ? nil : severity
    }
}

extension SQLiteIncidentStore {
    public func timers(of incidentID: Int64) throws -> [TimerRequest] {
        try database.read { db in
            _ = try Self.incident(incidentID, in: db)
            return try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM timer WHERE incident_id = ? ORDER BY due_at, id"), arguments: [incidentID])
                .compactMap { row in
                    TimerKind(rawValue: row["kind"]).map { kind in
                        TimerRequest(kind, dueAt: Date(millis: row["due_at"]), incidentID: incidentID, alertID: row["alert_id"], step: row["step"],
                                     pass: row["pass"], subject: row["subject"])
                    }
                }
        }
    }
}
