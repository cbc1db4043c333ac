import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Reads the waiting pages through the pending-page index and counts open incidents by stage and severity.
    public func storedGauges() throws -> StoredGauges {
        try database.read { db in
            var gauges = StoredGauges()
            let pending = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT channel, COUNT(*) AS pages, MIN(created_at) AS oldest FROM page WHERE status = 'pending' GROUP BY channel
                """))
            for row in pending {
                gauges.pendingPages[row["channel"]] = row["pages"]
                let oldest = Date(millis: row["oldest"])
                gauges.oldestPendingPage = min(gauges.oldestPendingPage ?? oldest, oldest)
            }
            let open = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT stage, severity, COUNT(*) AS incidents FROM incident WHERE stage <> ? GROUP BY stage, severity
                """), arguments: [Stage.closed.rawValue])
            gauges.openIncidents = open.compactMap { row in
                Stage(rawValue: row["stage"]).map { OpenIncidentCount(stage: $0, severity: Severity(clamping: row["severity"]), count: row["incidents"]) }
            }
            return gauges
        }
    }
}
