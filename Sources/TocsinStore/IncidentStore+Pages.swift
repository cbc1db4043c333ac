import Foundation
import GRDB
import TocsinCore

extension IncidentStore {
    /// Attempts before a page is given up as failed; with the backoff below that spans about an hour.
    static let maximumAttempts = 12

    /// Pages whose (next) attempt is due at `now`.
    public func duePages(now: Date, limit: Int = 256) throws -> [OutboundPage] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM page WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                             arguments: [now.millis, limit]).map(OutboundPage.init(row:))
        }
    }

    /// Records one delivery attempt on the page and the incident's timeline. A retryable
    /// failure schedules the next attempt with exponential backoff.
    public func recordDelivery(of page: OutboundPage, result: DeliveryResult, now: Date) throws {
        try database.write { db in
            // A page acknowledged while in flight was cancelled; if it got through all the same, say so.
            guard let row = try Row.fetchOne(db, sql: "SELECT attempts, status FROM page WHERE id = ?", arguments: [page.id]),
                  row["status"] == "pending" || (row["status"] == "cancelled" && result.delivered) else {
                return
            }
            let attempt = (row["attempts"] as Int) + 1
            var detail = ["person": page.person, "channel": page.channel, "attempt": "\(attempt)",
                          "latency_ms": String(format: "%.1f", result.latency.seconds * 1000), "idempotency_key": page.idempotencyKey]
            detail["status"] = result.status.map(String.init)
            detail["error"] = result.error
            if result.delivered {
                try db.execute(sql: "UPDATE page SET status = 'sent', attempts = ? WHERE id = ?", arguments: [attempt, page.id])
                try Timeline.append(.pageSent, incident: page.incidentID, actor: "tocsin", at: now, detail: detail, in: db)
            } else if result.isRetryable, attempt < Self.maximumAttempts {
                let backoff = min(300.0, pow(2.0, Double(attempt - 1)))
                detail["retry_in_s"] = String(format: "%.0f", backoff)
                try db.execute(sql: "UPDATE page SET attempts = ?, next_attempt_at = ? WHERE id = ?",
                               arguments: [attempt, now.addingTimeInterval(backoff).millis, page.id])
                try Timeline.append(.pageFailed, incident: page.incidentID, actor: "tocsin", at: now, detail: detail, in: db)
            } else {
                detail["final"] = "true"
                try db.execute(sql: "UPDATE page SET status = 'failed', attempts = ? WHERE id = ?", arguments: [attempt, page.id])
                try Timeline.append(.pageFailed, incident: page.incidentID, actor: "tocsin", at: now, detail: detail, in: db)
            }
        }
    }
}
