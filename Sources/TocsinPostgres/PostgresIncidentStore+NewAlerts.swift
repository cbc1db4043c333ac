import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    /// Records a batch of alerts with few round trips to the server. Alerts whose key the
    /// database has never seen, and that open no incident (the bulk of a monitoring system's
    /// traffic), are inserted together with one statement and their timers with another; the
    /// rest (repeats, resolutions, late repeats, incident openings, a key another instance
    /// inserted meanwhile) go one by one as `ingest(_:rules:now:silences:outcome:in:)` does.
    ///
    /// `batches` are several callers' requests in one transaction; each gets its own outcome.
    static func ingestNew(_ batches: [[PreparedAlert]], rules: ResponseRules, now: Date, silences: ActiveSilences,
                          in session: PostgresSession) throws -> [IngestOutcome] {
        var outcomes = Array(repeating: IngestOutcome(), count: batches.count)
        let alerts = batches.enumerated().flatMap { batch, alerts in alerts.map { (batch: batch, alert: $0) } }
        let keys = alerts.map(\.alert.report.dedupKey)
        let known = Set(try session.rows("""
            SELECT dedup_key FROM alert WHERE dedup_key = ANY(\(keys)) AND status = 'firing'
            UNION SELECT dedup_key FROM alert WHERE dedup_key = ANY(\(keys)) AND status = 'resolved'
            """).map { try $0.value("dedup_key", as: String.self) })
        var fresh: [(batch: Int, alert: PreparedAlert, severity: Severity)] = []
        var oneByOne: [(batch: Int, alert: PreparedAlert)] = []
        // A key's later reports in the batch follow its first one by one, in order, after it.
        var seen: Set<String> = []
        for (batch, alert) in alerts {
            let report = alert.report
            let severity = rules.severity.severity(of: report, at: now)
            let opens = Classification.classify(alertID: 0, report: report, severity: severity, incident: nil, rules: rules, now: now).opening != nil
            if seen.insert(report.dedupKey).inserted, report.status == .firing, !known.contains(report.dedupKey), !opens {
                fresh.append((batch, alert, severity))
            } else {
                oneByOne.append((batch, alert))
            }
        }
        var changes: [RecordChange] = []
        for chunk in stride(from: 0, to: fresh.count, by: 1000).map({ fresh[$0..<min(fresh.count, $0 + 1000)] }) {
            let ids = try insert(chunk, now: now, silences: silences, in: session)
            for (batch, alert, severity) in chunk {
                guard let id = ids[alert.report.dedupKey] else {
                    // Another instance committed the same new key first: this report is its repeat.
                    oneByOne.append((batch, alert))
                    continue
                }
                outcomes[batch].created += 1
                changes += Classification.classify(alertID: id, report: alert.report, severity: severity, incident: nil, rules: rules, now: now).changes
            }
        }
        try PostgresRecordWriter.write(changes, in: session)
        for (batch, alert) in oneByOne {
            try ingest(alert, rules: rules, now: now, silences: silences, outcome: &outcomes[batch], in: session)
        }
        return outcomes
    }

    /// Inserts new firing alerts in one statement; returns the id of each key inserted (a key
    /// another instance holds open already is left out).
    private static func insert(_ alerts: ArraySlice<(batch: Int, alert: PreparedAlert, severity: Severity)>, now: Date, silences: ActiveSilences,
                               in session: PostgresSession) throws -> [String: Int64] {
        var rows: PostgresStatement = ""
        for (index, (_, alert, severity)) in alerts.enumerated() {
            let report = alert.report
            rows.append(index == 0 ? "(" : ", (")
            rows.append("""
                \(report.source), \(report.dedupKey), \(report.summary), \(report.service), \(alert.labelsJSON), 'firing', \(report.startsAt.millis),
                \(now.millis), \(now.millis), 1, \(severity.rawValue), \(alert.detailsJSON), \(try silences.holding(report)?.id))
                """)
        }
        let sql = """
            INSERT INTO alert (source, dedup_key, summary, service, labels, status, starts_at, first_received_at, last_received_at, receive_count,
                               severity, details, silenced_by)
            VALUES
            """ + rows + """

            ON CONFLICT (dedup_key) WHERE status = 'firing' DO NOTHING
            RETURNING id, dedup_key
            """
        var ids: [String: Int64] = [:]
        for row in try session.rows(sql) {
            ids[try row.value("dedup_key")] = try row.value("id")
        }
        return ids
    }
}
