import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    /// Reads the waiting pages and counts open incidents by stage and severity, for every instance alike.
    public func storedGauges() throws -> StoredGauges {
        try connections.read { session in
            var gauges = StoredGauges()
            let pending = try session.rows("""
                SELECT channel, COUNT(*) AS pages, MIN(created_at) AS oldest FROM page WHERE status = 'pending' GROUP BY channel
                """)
            for row in pending {
                gauges.pendingPages[try row.value("channel", as: String.self)] = try row.value("pages", as: Int.self)
                let oldest = Date(millis: try row.value("oldest", as: Int64.self))
                gauges.oldestPendingPage = min(gauges.oldestPendingPage ?? oldest, oldest)
            }
            let open = try session.rows("""
                SELECT stage, severity, COUNT(*) AS incidents FROM incident WHERE stage <> \(Stage.closed.rawValue) GROUP BY stage, severity
                """)
            gauges.openIncidents = try open.compactMap { row in
                guard let stage = Stage(rawValue: try row.value("stage", as: String.self)) else { return nil }
                return OpenIncidentCount(stage: stage, severity: Severity(clamping: try row.value("severity", as: Int.self)),
                                         count: try row.value("incidents", as: Int.self))
            }
            return gauges
        }
    }
}
