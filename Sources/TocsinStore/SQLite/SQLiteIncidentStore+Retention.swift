import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    public func archivableIncidents(closedBefore cutoff: Date, limit: Int) throws -> [(id: Int64, closedAt: Date)] {
        try database.read { db in
            try Self.archivable(closedBefore: cutoff, only: nil, limit: limit, in: db)
        }
    }

    static func archivable(closedBefore cutoff: Date, only id: Int64?, limit: Int, in db: Database) throws -> [(id: Int64, closedAt: Date)] {
        let only = id == nil ? "" : " AND id = \(id!)"
        return try Row.fetchAll(db, sql: RetentionSQL.closedIncidents + " WHERE closed_at < ?\(only) ORDER BY closed_at, id LIMIT ?",
                                arguments: [cutoff.millis, limit]).map { row in
            (row["id"], Date(millis: row["closed_at"]))
        }
    }

    public func removeArchived(_ anchor: ArchivedIncident) throws -> Bool {
        let id = anchor.incidentID
        return try requestWrite { db in
            guard try !Self.archivable(closedBefore: anchor.closedAt.addingTimeInterval(0.001), only: id, limit: 1, in: db).isEmpty else { return false }
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM event WHERE incident_id = ? ORDER BY seq DESC LIMIT 1", arguments: [id])
            guard (last?["seq"] as Int?) == anchor.events, (last?["hash"] as String?) == anchor.lastHash else { return false }
            for statement in [
                "DELETE FROM timer WHERE incident_id = ?1 OR alert_id IN (SELECT id FROM alert WHERE incident_id = ?1)",
                "UPDATE page SET bundle_id = NULL WHERE incident_id <> ?1 AND bundle_id IN (SELECT id FROM page WHERE incident_id = ?1)",
                "DELETE FROM page WHERE incident_id = ?1", "DELETE FROM alert WHERE incident_id = ?1", "DELETE FROM escalation WHERE incident_id = ?1",
                "DELETE FROM event WHERE incident_id = ?1", "DELETE FROM incident WHERE id = ?1",
            ] {
                try db.execute(sql: statement, arguments: [id])
            }
            try db.execute(sql: "INSERT INTO archived_incident (incident_id, closed_at, archived_at, events, last_hash, file) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, anchor.closedAt.millis, anchor.archivedAt.millis, anchor.events, anchor.lastHash, anchor.file])
            return true
        }
    }

    public func archivableAlerts(resolvedBefore cutoff: Date, limit: Int) throws -> [AlertRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: RetentionSQL.resolvedAlerts + " AND ends_at < ? ORDER BY id LIMIT ?", arguments: [cutoff.millis, limit])
                .map(AlertRecord.init(row:))
        }
    }

    public func removeArchivedAlerts(_ ids: [Int64]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let list = ids.map(String.init).joined(separator: ",")
        return try requestWrite { db in
            try db.execute(sql: "DELETE FROM timer WHERE alert_id IN (\(list))")
            try db.execute(sql: "DELETE FROM alert WHERE id IN (\(list)) AND status = 'resolved' AND incident_id IS NULL")
            return db.changesCount
        }
    }

    public func archivedIncidents() throws -> [ArchivedIncident] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM archived_incident ORDER BY incident_id").map { row in
                ArchivedIncident(incidentID: row["incident_id"], closedAt: Date(millis: row["closed_at"]), archivedAt: Date(millis: row["archived_at"]),
                                 events: row["events"], lastHash: row["last_hash"], file: row["file"])
            }
        }
    }
}
