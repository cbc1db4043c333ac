import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    /// Fires every timer due at or before `now`, oldest first, many to a transaction. Each
    /// batch locks its rows (`FOR UPDATE SKIP LOCKED`) and deletes them in the transaction that
    /// fires them: another instance skips what this one holds, and should this one die before
    /// its commit, the rows come free and fire elsewhere. A timer fires once.
    ///
    /// A firing commits without waiting for the log to reach the disk, as the SQLite store's
    /// does: should the database lose it in a crash or a failover, the timer is still there and
    /// fires again, queueing the same pages under the same idempotency keys. Waiting would put a
    /// disk flush between every deadline and its page.
    public func fireDueTimers(rules: ResponseRules, now: Date, batchSize: Int, onBatch: ([FiredTimer]) -> Void) throws -> [FiredTimer] {
        try fire(rules: rules, now: now, batchSize: batchSize, onBatch: onBatch).fired
    }

    /// The next due time comes with the pass's last batch, rather than asked for after it:
    /// the earliest of the timers that batch left and of those the pass wrote.
    public func firingPass(rules: ResponseRules, now: Date, onBatch: ([FiredTimer]) -> Void) throws -> (fired: [FiredTimer], nextDue: Date?) {
        try fire(rules: rules, now: now, batchSize: 512, onBatch: onBatch)
    }

    private func fire(rules: ResponseRules, now: Date, batchSize: Int, onBatch: ([FiredTimer]) -> Void) throws -> (fired: [FiredTimer], nextDue: Date?) {
        var fired: [FiredTimer] = []
        var written: Date?
        while true {
            let batch = try connections.transaction { session -> (fired: [FiredTimer], locked: Int, nextDue: Date?, written: Date?) in
                session.commitWithoutWaiting()
                // The incidents of the timers taken are locked with them, in the order of their ids;
                // what they decide is read once the locks are held, in the statements after. The
                // one row that comes when nothing is due carries the next due time alone.
                let answer = try session.rows("""
                    WITH due AS (SELECT * FROM timer WHERE due_at <= \(now.millis) ORDER BY due_at, id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED),
                         locked AS (SELECT id FROM incident WHERE id IN (SELECT incident_id FROM due) ORDER BY id FOR UPDATE)
                    SELECT due.*, (SELECT COUNT(*) FROM locked) AS locked, later.next_due
                    FROM (SELECT MIN(due_at) AS next_due FROM timer WHERE id NOT IN (SELECT id FROM due)) AS later
                    LEFT JOIN due ON true
                    ORDER BY due.due_at, due.id
                    """)
                let nextDue = try answer.first?.value("next_due", as: Int64?.self).map(Date.init(millis:))
                let rows = try answer.filter { try $0.value("id", as: Int64?.self) != nil }
                session.lockedIncidents.formUnion(try rows.compactMap { try $0.value("incident_id", as: Int64?.self) })
                // Escalation steps of incidents with nothing else due in the batch are fired
                // together; every other timer, one by one after them.
                let perIncident = try Dictionary(grouping: rows) { try $0.value("incident_id", as: Int64?.self) }
                var together: [PostgresRandomAccessRow] = []
                var oneByOne: [PostgresRandomAccessRow] = []
                for row in rows {
                    let incidentID = try row.value("incident_id", as: Int64?.self)
                    if incidentID != nil, perIncident[incidentID]?.count == 1, try row.value("kind", as: String.self) == TimerKind.escalation.rawValue {
                        together.append(row)
                    } else {
                        oneByOne.append(row)
                    }
                }
                var batch = try Self.fireSteps(together, rules: rules, in: session)
                for timer in oneByOne {
                    // A timer an earlier one in the batch removed (an acknowledgement) is skipped.
                    guard try session.value("DELETE FROM timer WHERE id = \(try timer.value("id", as: Int64.self)) RETURNING id", as: Int64.self) != nil
                    else { continue }
                    batch.append(try Self.fire(timer, rules: rules, now: now, in: session))
                }
                return (batch, rows.count, nextDue, session.earliestTimerWritten)
            }
            if !batch.fired.isEmpty { onBatch(batch.fired) }
            fired += batch.fired
            written = [written, batch.written].compactMap { $0 }.min()
            if batch.locked < batchSize { return (fired, [batch.nextDue, written].compactMap { $0 }.min()) }
        }
    }

    public func nextTimerDue(justCommitted: Bool) throws -> Date? {
        try connections.read { session in try session.value("SELECT MIN(due_at) FROM timer", as: Int64.self).map(Date.init(millis:)) }
    }

    /// Fires escalation steps of distinct incidents, which the transaction has locked: each
    /// incident, its escalation and the end of its timeline are read for all of them at once,
    /// and what they decide is written together.
    private static func fireSteps(_ timers: [PostgresRandomAccessRow], rules: ResponseRules, in session: PostgresSession) throws -> [FiredTimer] {
        guard !timers.isEmpty else { return [] }
        let ids = try timers.map { try $0.value("incident_id", as: Int64.self) }.sorted()
        let (incidents, states) = try incidentsEscalationsAndChainEnds(ids, in: session)
        // After the read, so that it goes with the writes rather than on its own before it.
        var deletion: PostgresWrite = "DELETE FROM timer WHERE id = ANY(\(try timers.map { try $0.value("id", as: Int64.self) }))"
        deletion.incidents = Set(ids)
        try session.write(deletion)
        var fired: [FiredTimer] = []
        var changes: [RecordChange] = []
        for timer in timers {
            let dueAt = try timer.date("due_at")
            let incidentID: Int64 = try timer.value("incident_id")
            fired.append(FiredTimer(kind: TimerKind.escalation.rawValue, incidentID: incidentID, dueAt: dueAt))
            guard let incident = incidents[incidentID] else { continue }
            let state = try states[incidentID].map { try $0.escalationState(of: incident) } ?? .firstPass(of: incident)
            changes += Escalation.fire(step: try timer.value("step"), pass: try timer.value("pass"), dueAt: dueAt, incident: incident, state: state,
                                       rules: rules)
        }
        try PostgresRecordWriter.write(changes, in: session)
        return fired
    }

    /// Each of `ids` (incidents this transaction has locked) and the escalation of those that
    /// have one, by incident; the end of each one's timeline is noted in `session` on the way.
    private static func incidentsEscalationsAndChainEnds(_ ids: [Int64], in session: PostgresSession)
    throws -> (incidents: [Int64: Incident], escalations: [Int64: PostgresRandomAccessRow]) {
        let rows = try session.rows("""
            SELECT incident.*, escalation.*, chain_end.seq AS chain_seq, chain_end.hash AS chain_hash
            FROM incident
            LEFT JOIN escalation ON escalation.incident_id = incident.id
            LEFT JOIN LATERAL (SELECT seq, hash FROM event WHERE incident_id = incident.id ORDER BY seq DESC LIMIT 1) AS chain_end ON true
            WHERE incident.id = ANY(\(ids))
            """)
        var incidents: [Int64: Incident] = [:]
        var states: [Int64: PostgresRandomAccessRow] = [:]
        var ends: [Int64: (sequence: Int, hash: String)] = [:]
        for row in rows {
            let incident = try row.incident()
            incidents[incident.id] = incident
            if try row.value("incident_id", as: Int64?.self) != nil { states[incident.id] = row }
            ends[incident.id] = try row.chainEnd()
        }
        session.chainEnds.merge(ends) { known, _ in known }
        return (incidents, states)
    }

    private static func fire(_ timer: PostgresRandomAccessRow, rules: ResponseRules, now: Date, in session: PostgresSession) throws -> FiredTimer {
        let dueAt = try timer.date("due_at")
        let kind: String = try timer.value("kind")
        let incidentID: Int64? = try timer.value("incident_id")
        var openedSeverity: Severity?
        switch TimerKind(rawValue: kind) {
        case .escalation:
            try escalate(incidentID: incidentID!, step: try timer.value("step"), pass: try timer.value("pass"), dueAt: dueAt, rules: rules, in: session)
        case .acknowledgementTimeout:
            try acknowledgementTimedOut(incidentID: incidentID!, pass: try timer.value("pass"), dueAt: dueAt, rules: rules, in: session)
        case .severityReview:
            openedSeverity = try reviewSeverity(alertID: try timer.value("alert_id"), rules: rules, now: now, in: session)
        case .updateReminder, .updateDue, .updateEscalation, .deadline:
            let incident = try incident(incidentID!, locked: true, in: session)
            let record = try procedureRecord(incident.id, in: session)
            try PostgresRecordWriter.write(Clocks.fire(TimerKind(rawValue: kind)!, subject: try timer.value("subject", as: String?.self) ?? "",
                                                       incident: incident, record: record, dueAt: dueAt, rules: rules), in: session)
        case .silenceEnd:
            try endSilence(try timer.value("silence_id"), at: now, rules: rules, in: session)
        case .heartbeatMissed:
            openedSeverity = try missHeartbeat(try timer.value("heartbeat"), deadline: dueAt, rules: rules, now: now, in: session)
        case .drillInjection:
            try inject(subject: try timer.value("subject", as: String?.self) ?? "", incidentID: incidentID!, dueAt: dueAt, rules: rules, in: session)
        case .handoverMissed:
            try handoverMissed(subject: try timer.value("subject", as: String?.self), step: try timer.value("step", as: Int?.self), dueAt: dueAt, rules: rules,
                               in: session)
        case .shiftStart:
            try startShift(subject: try timer.value("subject", as: String?.self), dueAt: dueAt, rules: rules, in: session)
        case nil:
            break
        }
        return FiredTimer(kind: kind, incidentID: incidentID, dueAt: dueAt, openedSeverity: openedSeverity)
    }

    /// Returns the severity of the incident the review opened, if it opened one.
    private static func reviewSeverity(alertID: Int64, rules: ResponseRules, now: Date, in session: PostgresSession) throws -> Severity? {
        guard let row = try session.row("SELECT * FROM alert WHERE id = \(alertID) AND status = 'firing' FOR UPDATE") else { return nil }
        let report = try row.alertReport()
        let severity = max(Severity(clamping: try row.value("severity", as: Int.self)), rules.severity.severity(of: report, at: now))
        try session.write("UPDATE alert SET severity = \(severity.rawValue) WHERE id = \(alertID)")
        try PostgresRecordWriter.write([.cancelTimers(.severityReview(alert: alertID))], in: session)
        let opened = try classify(alertID: alertID, report: report, severity: severity, incidentID: try row.value("incident_id"), rules: rules, now: now,
                         silences: try activeSilences(at: now, in: session), in: session)
        return opened == nil ? nil : severity
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
