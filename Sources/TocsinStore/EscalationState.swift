import Foundation
import GRDB
import TocsinCore

/// Where an incident's escalation stands: which pass through its policy (repeats and
/// acknowledgement timeouts start new passes), when that pass started, the last step fired,
/// and who must still acknowledge when that step asked for everyone.
struct EscalationState {
    var incidentID: Int64
    var pass: Int
    /// Why the pass started: `open`, `repeat` or `ack_timeout`.
    var passReason: String
    /// Step offsets of this pass count from here.
    var epoch: Date
    var repeatsDone: Int
    /// The last step fired in this pass, -1 before the first.
    var step: Int
    var awaiting: [String]

    static func load(_ incident: Incident, in db: Database) throws -> EscalationState {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM escalation WHERE incident_id = ?"), arguments: [incident.id]) else {
            // An incident opened before passes were recorded is in its first pass.
            return EscalationState(incidentID: incident.id, pass: 0, passReason: "open", epoch: incident.openedAt, repeatsDone: 0, step: -1, awaiting: [])
        }
        let awaiting: String = row["awaiting"]
        return EscalationState(
            incidentID: incident.id, pass: row["pass"], passReason: row["pass_reason"], epoch: Date(millis: row["epoch_at"]),
            repeatsDone: row["repeats_done"], step: row["step"],
            awaiting: try JSONText.stringList(awaiting)
        )
    }

    func save(in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO escalation (incident_id, pass, pass_reason, epoch_at, repeats_done, step, awaiting) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(arguments: [incidentID, pass, passReason, epoch.millis, repeatsDone, step, JSONText.encode(awaiting)]
        )
    }

    /// When step `index` of this pass is due.
    func due(ofStep index: Int, in policy: EscalationPolicy) -> Date {
        epoch.addingTimeInterval(policy.offset(ofStep: index).seconds)
    }

    /// The idempotency-key prefix of this pass's step `step`: the first pass keeps the
    /// original `incident-ID/step-N` form.
    func keyPrefix(step: Int) -> String {
        pass == 0 ? "incident-\(incidentID)/step-\(step)" : "incident-\(incidentID)/pass-\(pass)/step-\(step)"
    }
}
