import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Records a batch of alerts in one transaction: deduplicates by key, classifies,
    /// opens incidents at the major threshold and schedules their first page.
    public func ingest(_ reports: [AlertReport], rules: ResponseRules, now: Date) throws -> IngestOutcome {
        let alerts = reports.map(PreparedAlert.init)
        return try requestWrite { db in try ingest(alerts, rules: rules, now: now, silences: try Self.activeSilences(at: now, in: db), in: db) }
    }

    /// Records alerts that each carry their own arrival time, in one transaction: replaying
    /// a backlog, or scheduling many deadlines at once in a benchmark.
    public func ingest(timed reports: [(report: AlertReport, receivedAt: Date)], rules: ResponseRules) throws -> IngestOutcome {
        try requestWrite { db in
            var outcome = IngestOutcome()
            for (report, receivedAt) in reports {
                try Self.ingest(report, rules: rules, now: receivedAt, outcome: &outcome, openAlerts: openAlerts, in: db)
            }
            return outcome
        }
    }

    /// Records several callers' batches in one transaction (group commit): one fsync for all
    /// of them. Should a batch fail, the transaction is rolled back and each batch is committed
    /// on its own, so only the failing one is refused. (Savepoints around each batch would do
    /// the same, at the price of two more statements for every request.)
    ///
    /// `committed` runs once the batches are committed and before they are flushed to disk:
    /// an incident's first page can be on its way during the flush. Should the machine (not
    /// the process) fail within that flush, the sender never heard "accepted" and sends again,
    /// so a page may come twice but is never lost. Returns once everything is on disk.
    /// Its pages are never leased in the commit (`leasingFirstPages` is not looked at): a claim
    /// is a read on the writer's connection, with no round trip to save.
    public func ingest(batches: [[PreparedAlert]], rules: ResponseRules, now: Date, leasingFirstPages: Bool = false,
                       committed: ([Result<IngestOutcome, any Error>]) -> Void = { _ in }) throws -> [Result<IngestOutcome, any Error>] {
        let results: [Result<IngestOutcome, any Error>]
        if batches.count > 1, let outcomes = try? unflushedWrite({ db in
            let silences = try Self.activeSilences(at: now, in: db)
            return try batches.map { try ingest($0, rules: rules, now: now, silences: silences, in: db) }
        }) {
            results = outcomes.map { .success($0) }
        } else {
            results = batches.map { alerts in
                Result { try unflushedWrite { db in try ingest(alerts, rules: rules, now: now, silences: try Self.activeSilences(at: now, in: db), in: db) } }
            }
        }
        committed(results)
        try flushWAL()
        return results
    }

    /// Records one caller's alerts; `silences` are those in force at `now`.
    private func ingest(_ alerts: [PreparedAlert], rules: ResponseRules, now: Date, silences: [Silence], in db: Database) throws -> IngestOutcome {
        var outcome = IngestOutcome()
        for alert in alerts {
            try Self.ingest(alert, rules: rules, now: now, silences: silences, outcome: &outcome, openAlerts: openAlerts, in: db)
        }
        return outcome
    }

    /// Records one alert outside the request path (a heartbeat, a backlog), under the silences
    /// in force at `now`.
    static func ingest(_ report: AlertReport, rules: ResponseRules, now: Date, outcome: inout IngestOutcome, openAlerts: OpenAlerts, in db: Database) throws {
        try ingest(PreparedAlert(report), rules: rules, now: now, silences: try activeSilences(at: now, in: db), outcome: &outcome, openAlerts: openAlerts, in: db)
    }

    /// Records one alert; `silences` are those in force at `now`.
    static func ingest(_ alert: PreparedAlert, rules: ResponseRules, now: Date, silences: [Silence], outcome: inout IngestOutcome,
                       openAlerts: OpenAlerts, in db: Database) throws {
        let report = alert.report
        let open = try openAlerts.id(of: report.dedupKey).flatMap { try OpenAlert.fetch(id: $0, in: db) }
        switch (report.status, open) {
        case (.resolved, nil):
            outcome.ignored += 1
        case (.resolved, let stored?):
            try resolve(alertID: stored.id, key: report.dedupKey, incidentID: stored.incidentID, source: report.source, now: now, in: db)
            openAlerts.resolved(report.dedupKey)
            outcome.resolved += 1
        case (.firing, nil):
            if try isLateRepeat(of: report, in: db) {
                outcome.ignored += 1
                return
            }
            let severity = rules.severity.severity(of: report, at: now)
            try db.cachedStatement(sql: """
                    INSERT INTO alert (source, dedup_key, summary, service, labels, status, starts_at, first_received_at, last_received_at, receive_count, severity, details, silenced_by)
                    VALUES (?, ?, ?, ?, ?, 'firing', ?, ?, ?, 1, ?, ?, ?)
                    """).execute(
                arguments: [report.source, report.dedupKey, report.summary, report.service, alert.labelsJSON,
                            report.startsAt.millis, now.millis, now.millis, severity.rawValue, alert.detailsJSON,
                            silences.first { $0.matches(report) }?.id]
            )
            let alertID = db.lastInsertedRowID
            openAlerts.opened(report.dedupKey, id: alertID)
            outcome.created += 1
            if let incident = try classify(alertID: alertID, report: report, severity: severity, incidentID: nil, rules: rules, now: now, silences: silences, in: db) {
                outcome.openedIncidents.append(incident)
                outcome.openedSeverities.append(severity)
            }
        case (.firing, let stored?):
            let severity = Classification.severity(ofRepeat: report, storedSeverity: stored.severity, storedStart: stored.startsAt, rules: rules, now: now)
            try db.cachedStatement(sql: "UPDATE alert SET summary = ?, labels = ?, last_received_at = ?, receive_count = receive_count + 1, severity = ? WHERE id = ?").execute(
                arguments: [report.summary, alert.labelsJSON, now.millis, severity.rawValue, stored.id]
            )
            try RecordWriter.write([.cancelTimers(.severityReview(alert: stored.id))], in: db)
            outcome.deduplicated += 1
            if let incident = try classify(alertID: stored.id, report: report, severity: severity, incidentID: stored.incidentID, rules: rules, now: now, silences: silences, in: db) {
                outcome.openedIncidents.append(incident)
                outcome.openedSeverities.append(severity)
            }
        }
    }

    /// Acts on a firing alert's (new) severity (see `Classification.classify`); any earlier
    /// severity review is cancelled by the caller. Returns the id of an incident it opened.
    static func classify(alertID: Int64, report: AlertReport, severity: Severity, incidentID: Int64?, rules: ResponseRules, now: Date,
                         silences: [Silence], in db: Database) throws -> Int64? {
        let incident = try incidentID.map { id in
            (id: id, severity: Severity(clamping: try Int.fetchOne(db.cachedStatement(sql: "SELECT severity FROM incident WHERE id = ?"), arguments: [id]) ?? 4))
        }
        let (opening, changes) = Classification.classify(alertID: alertID, report: report, severity: severity, incident: incident, rules: rules, now: now)
        var opened: Int64?
        if let opening {
            opened = try open(opening, alertID: alertID, silences: silences, rules: rules, in: db)
        }
        try RecordWriter.write(changes, in: db)
        return opened
    }

    /// Inserts the incident an alert opens, and writes its opening.
    private static func open(_ opening: IncidentOpening, alertID: Int64, silences: [Silence], rules: ResponseRules, in db: Database) throws -> Int64 {
        let report = opening.report
        try db.cachedStatement(sql: "INSERT INTO incident (title, service, severity, stage, runbook_id, opened_at, policy, procedure) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").execute(
            arguments: [report.summary, report.service, opening.severity.rawValue, Stage.reported.rawValue, opening.runbook?.id, opening.openedAt.millis,
                        try Snapshots.policies.text(of: opening.policy), try Snapshots.openingRecords.text(of: opening.record)]
        )
        let incidentID = db.lastInsertedRowID
        try db.cachedStatement(sql: "UPDATE alert SET incident_id = ? WHERE id = ?").execute(arguments: [incidentID, alertID])
        try RecordWriter.write(opening.changes(id: incidentID, silence: silences.first { $0.matches(report) }, rules: rules), in: db)
        return incidentID
    }

    private static func resolve(alertID: Int64, key: String, incidentID: Int64?, source: String, now: Date, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE alert SET status = 'resolved', ends_at = ? WHERE id = ?").execute(arguments: [now.millis, alertID])
        try RecordWriter.write([.cancelTimers(.severityReview(alert: alertID))], in: db)
        guard let incidentID else { return }
        let stillFiring = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE incident_id = ? AND status = 'firing'"), arguments: [incidentID]) ?? 0
        let pendingSteps = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM timer WHERE kind = ? AND incident_id = ?"),
                                            arguments: [TimerKind.escalation.rawValue, incidentID]) ?? 0
        try RecordWriter.write(AlertResolution.changes(key: key, incidentID: incidentID, source: source, now: now, stillFiring: stillFiring, pendingSteps: pendingSteps), in: db)
    }
}

/// The few columns of a firing alert that an incoming report with the same key is weighed against.
private struct OpenAlert {
    var id: Int64
    var incidentID: Int64?
    var startsAt: Date
    var severity: Severity

    static func fetch(id: Int64, in db: Database) throws -> OpenAlert? {
        let statement = try db.cachedStatement(sql: "SELECT id, incident_id, starts_at, severity FROM alert WHERE id = ?")
        // By position: the columns are the four just named, and this runs for every repeat received.
        return try Row.fetchOne(statement, arguments: [id]).map { row in
            OpenAlert(id: row[0], incidentID: row[1], startsAt: Date(millis: row[2]), severity: Severity(clamping: row[3]))
        }
    }
}
