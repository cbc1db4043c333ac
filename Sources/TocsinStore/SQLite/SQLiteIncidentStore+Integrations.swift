import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Acknowledges the incident that the open alert with `dedupKey` belongs to, as `actor`
    /// (an integration relaying an acknowledgement made in another tool).
    public func acknowledge(alertKey dedupKey: String, by actor: String, via channel: String, rules: ResponseRules, now: Date) throws -> AlertAcknowledgeOutcome {
        let incidentID = try openAlerts.committedID(of: dedupKey).flatMap { alertID in
            try database.read { db in
                try Int64.fetchOne(db.cachedStatement(sql: "SELECT incident_id FROM alert WHERE id = ? AND status = 'firing'"), arguments: [alertID])
            }
        }
        guard let incidentID else { return .noIncident }
        switch try acknowledge(incidentID: incidentID, by: actor, via: channel, rules: rules, now: now) {
        case .acknowledged: return .acknowledged(incidentID: incidentID)
        case .alreadyAcknowledged: return .alreadyAcknowledged(incidentID: incidentID)
        // The step waits for everyone it paged; the relayed acknowledgement is on the timeline.
        case .partiallyAcknowledged: return .acknowledged(incidentID: incidentID)
        }
    }

    /// Alerts newest first, optionally only those with `status`.
    public func alerts(status: AlertStatus? = nil, limit: Int = 500) throws -> [AlertRecord] {
        try database.read { db in
            let rows = if let status {
                try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM alert WHERE status = ? ORDER BY id DESC LIMIT ?"), arguments: [status.rawValue, limit])
            } else {
                try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM alert ORDER BY id DESC LIMIT ?"), arguments: [limit])
            }
            return try rows.map(AlertRecord.init(row:))
        }
    }

    public func alerts(ofIncident incidentID: Int64, limit: Int) throws -> [AlertRecord] {
        try database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM alert WHERE incident_id = ? ORDER BY id DESC LIMIT ?"), arguments: [incidentID, limit])
                .map(AlertRecord.init(row:))
        }
    }

    /// A firing report whose key and start time are those of an alert that has already
    /// resolved is a late repeat of a notification the resolution superseded (the slower
    /// member of an Alertmanager HA pair, a retry), not a new fault: it must not reopen anything.
    static func isLateRepeat(of report: AlertReport, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM alert WHERE dedup_key = ? AND status = 'resolved' AND starts_at = ?)"),
                          arguments: [report.dedupKey, report.startsAt.millis]) ?? false
    }
}

extension AlertRecord {
    init(row: Row) throws {
        self.init(
            id: row["id"], report: try AlertReport(row: row), severity: Severity(clamping: row["severity"]),
            firstReceivedAt: Date(millis: row["first_received_at"]), lastReceivedAt: Date(millis: row["last_received_at"]),
            receiveCount: row["receive_count"], endsAt: (row["ends_at"] as Int64?).map(Date.init(millis:)),
            incidentID: row["incident_id"], silencedBy: row["silenced_by"]
        )
    }
}
