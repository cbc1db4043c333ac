import Foundation
import GRDB
import TocsinCore

extension EscalationState {
    static func load(_ incident: Incident, in db: Database) throws -> EscalationState {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM escalation WHERE incident_id = ?"), arguments: [incident.id]) else {
            // An incident opened before passes were recorded is in its first pass.
            return .firstPass(of: incident)
        }
        let awaiting: String = row["awaiting"]
        return EscalationState(
            incidentID: incident.id, pass: row["pass"], passReason: row["pass_reason"], epoch: Date(millis: row["epoch_at"]),
            repeatsDone: row["repeats_done"], step: row["step"],
            awaiting: try JSONText.stringList(awaiting)
        )
    }

    func save(in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO escalation (incident_id, pass, pass_reason, epoch_at, repeats_done, step, awaiting) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [incidentID, pass, passReason, epoch.millis, repeatsDone, step, JSONText.encode(awaiting)])
    }
}
