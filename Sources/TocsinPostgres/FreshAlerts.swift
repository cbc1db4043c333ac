import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// A batch of firing alerts that open no incident, written in one round trip: the check that
/// the remembered silences still hold and the alerts with their severity reviews are one
/// statement, which commits by itself (no `BEGIN`, no `COMMIT`: each would cost a round trip).
///
/// Whatever the database must be asked about first goes through the usual path afterwards:
/// a key another instance or an earlier report holds open, a late repeat of a resolved alert
/// (both left out by the statement itself), resolutions, and every report of a key that comes
/// more than once in the batch. Batches that open an incident take the usual path whole, so
/// that nothing stands between an incident and its first pages.
struct FreshAlerts {
    private struct Row {
        var batch: Int
        var alert: PreparedAlert
        var severity: Severity
        var review: Date?
    }

    private var rows: [Row] = []
    /// The reports for the usual path, by batch, in their order.
    private(set) var others: [[PreparedAlert]]

    /// Nil when any report opens an incident, or none is fresh.
    init?(_ batches: [[PreparedAlert]], rules: ResponseRules, now: Date) {
        others = batches.map { _ in [] }
        var reports: [String: Int] = [:]
        for alert in batches.joined() { reports[alert.report.dedupKey, default: 0] += 1 }
        for (batch, alerts) in batches.enumerated() {
            for alert in alerts {
                let report = alert.report
                guard report.status == .firing, reports[report.dedupKey] == 1 else {
                    others[batch].append(alert)
                    continue
                }
                let severity = rules.severity.severity(of: report, at: now)
                let (opening, changes) = Classification.classify(alertID: 0, report: report, severity: severity, incident: nil, rules: rules, now: now)
                guard opening == nil else { return nil }
                if changes.isEmpty {
                    rows.append(Row(batch: batch, alert: alert, severity: severity, review: nil))
                } else if changes.count == 1, case .timer(let review) = changes[0],
                          review == TimerRequest(.severityReview, dueAt: review.dueAt, alertID: 0) {
                    rows.append(Row(batch: batch, alert: alert, severity: severity, review: review.dueAt))
                } else {
                    others[batch].append(alert)
                }
            }
        }
        if rows.isEmpty { return nil }
    }

    /// The check, the alerts and their reviews (and, when one is set, the notice of the first
    /// review to the other instances) as one statement, which the server runs as a transaction
    /// of its own; its one row names the keys inserted.
    ///
    /// The rows go as one array a column (`unnest`), so that the text is the same however many
    /// there are: a connection prepares it once, where a `VALUES` list of a thousand rows had
    /// its own text, ten thousand parameters, and was parsed and planned every time.
    func statement(silences: ActiveSilences, now: Date) throws -> PostgresStatement {
        let reports = rows.map(\.alert.report)
        // Zero stands for none in the two columns that may be empty (NULLIF below).
        let silencedBy = try reports.map { try silences.holding($0)?.id ?? 0 }
        var sql = "WITH silences AS (" + (try RememberedSilences.unchanged(silences, at: now)) + """
            ), fresh AS (
                SELECT * FROM unnest(\(reports.map(\.source)), \(reports.map(\.dedupKey)), \(reports.map(\.summary)), \(reports.map(\.service)),
                                     \(rows.map(\.alert.labelsJSON)), \(reports.map(\.startsAt.millis)), \(rows.map { Int64($0.severity.rawValue) }),
                                     \(rows.map(\.alert.detailsJSON)), \(silencedBy), \(rows.map { $0.review?.millis ?? 0 }))
                    AS fresh (source, dedup_key, summary, service, labels, starts_at, severity, details, silenced_by, review_at)
            ), inserted AS (
                INSERT INTO alert (source, dedup_key, summary, service, labels, status, starts_at, first_received_at, last_received_at, receive_count,
                                   severity, details, silenced_by)
                SELECT source, dedup_key, summary, service, labels, 'firing', starts_at, \(now.millis), \(now.millis), 1, severity, details,
                       NULLIF(silenced_by, 0)
                FROM fresh, silences
                WHERE silences.held = 1
                    AND NOT EXISTS (SELECT 1 FROM alert late WHERE late.status = 'resolved' AND late.dedup_key = fresh.dedup_key
                                                               AND late.starts_at = fresh.starts_at)
                ON CONFLICT (dedup_key) WHERE status = 'firing' DO NOTHING
                RETURNING id, dedup_key
            ), reviews AS (
                INSERT INTO timer (kind, due_at, alert_id)
                SELECT '\(unescaped: TimerKind.severityReview.rawValue)', fresh.review_at, inserted.id FROM inserted JOIN fresh USING (dedup_key)
                WHERE fresh.review_at <> 0
            )
            SELECT ARRAY(SELECT dedup_key FROM inserted) AS inserted
            """
        if let review = rows.compactMap(\.review).min() {
            sql.append(", pg_notify(\(PostgresIncidentStore.workChannel), \(String(review.millis)))")
        }
        return sql
    }

    /// Each batch's outcome of the alerts `inserted`; the reports left out join `others`.
    mutating func outcomes(inserted: Set<String>) -> [IngestOutcome] {
        var outcomes = others.map { _ in IngestOutcome() }
        for row in rows {
            if inserted.contains(row.alert.report.dedupKey) {
                outcomes[row.batch].created += 1
            } else {
                others[row.batch].append(row.alert)
            }
        }
        return outcomes
    }
}
