import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func archivableIncidents(closedBefore cutoff: Date, limit: Int) throws -> [(id: Int64, closedAt: Date)] {
        try connections.read { session in
            try session.rows("\(unescaped: RetentionSQL.closedIncidents) WHERE closed_at < \(cutoff.millis) ORDER BY closed_at, id LIMIT \(limit)").map { row in
                (try row.value("id"), try row.date("closed_at"))
            }
        }
    }

    public func removeArchived(_ anchor: ArchivedIncident) throws -> Bool {
        let id = anchor.incidentID
        return try connections.transaction { session in
            guard try session.row("SELECT id FROM incident WHERE id = \(id) FOR UPDATE") != nil else { return false }
            session.lockedIncidents.insert(id)
            let stillDue = try session.row("""
                \(unescaped: RetentionSQL.closedIncidents) WHERE closed_at <= \(anchor.closedAt.millis) AND id = \(id)
                """)
            guard stillDue != nil else { return false }
            let last = try session.row("SELECT seq, hash FROM event WHERE incident_id = \(id) ORDER BY seq DESC LIMIT 1")
            guard let last, try last.value("seq", as: Int.self) == anchor.events, try last.value("hash", as: String.self) == anchor.lastHash else { return false }
            try session.write("DELETE FROM timer WHERE incident_id = \(id) OR alert_id IN (SELECT id FROM alert WHERE incident_id = \(id))")
            try session.write("UPDATE page SET bundle_id = NULL WHERE incident_id <> \(id) AND bundle_id IN (SELECT id FROM page WHERE incident_id = \(id))")
            try session.write("DELETE FROM page WHERE incident_id = \(id)")
            try session.write("DELETE FROM alert WHERE incident_id = \(id)")
            try session.write("DELETE FROM escalation WHERE incident_id = \(id)")
            try session.write("DELETE FROM event WHERE incident_id = \(id)")
            try session.write("DELETE FROM incident WHERE id = \(id)")
            try session.write("""
                INSERT INTO archived_incident (incident_id, closed_at, archived_at, events, last_hash, file)
                VALUES (\(id), \(anchor.closedAt.millis), \(anchor.archivedAt.millis), \(anchor.events), \(anchor.lastHash), \(anchor.file))
                """)
            return true
        }
    }

    public func archivableAlerts(resolvedBefore cutoff: Date, limit: Int) throws -> [AlertRecord] {
        try connections.read { session in
            try session.rows("\(unescaped: RetentionSQL.resolvedAlerts) AND ends_at < \(cutoff.millis) ORDER BY id LIMIT \(limit)").map { try $0.alertRecord() }
        }
    }

    public func removeArchivedAlerts(_ ids: [Int64]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try connections.transaction { session in
            try session.write("DELETE FROM timer WHERE alert_id = ANY(\(ids))")
            return try session.rows("DELETE FROM alert WHERE id = ANY(\(ids)) AND status = 'resolved' AND incident_id IS NULL RETURNING id").count
        }
    }

    public func archivedIncidents() throws -> [ArchivedIncident] {
        try connections.read { session in
            try session.rows("SELECT * FROM archived_incident ORDER BY incident_id").map { row in
                ArchivedIncident(incidentID: try row.value("incident_id"), closedAt: try row.date("closed_at"), archivedAt: try row.date("archived_at"),
                                 events: try row.value("events"), lastHash: try row.value("last_hash"), file: try row.value("file"))
            }
        }
    }
}
