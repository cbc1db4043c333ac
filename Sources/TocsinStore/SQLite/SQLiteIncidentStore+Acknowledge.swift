import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Acknowledges for `person` (see `Acknowledgement.acknowledge`).
    public func acknowledge(incidentID: Int64, by person: String, via channel: String, rules: ResponseRules, now: Date) throws -> AcknowledgeOutcome {
        try requestWrite { db in
            let incident = try Self.incident(incidentID, in: db)
            let state = try EscalationState.load(incident, in: db)
            let unsent = incident.acknowledgedAt != nil ? [] :
                try String.fetchAll(try db.cachedStatement(sql: "SELECT idempotency_key FROM page WHERE incident_id = ? AND status = 'pending' AND kind = 'page'"), arguments: [incidentID])
            let (outcome, changes) = Acknowledgement.acknowledge(incident, state: state, by: person, via: channel, now: now, unsentPageKeys: unsent,
                                                                 unresolved: try Self.isUnresolved(incident, in: db),
                                                                 cadencesRunning: try Self.cadencesRunning(incidentID, in: db), rules: rules.procedure)
            try RecordWriter.write(changes, in: db)
            return outcome
        }
    }

    /// Whether the incident's update cadences run: it has been taken before.
    static func cadencesRunning(_ incidentID: Int64, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM timer WHERE incident_id = ? AND kind IN ('update_reminder', 'update_due', 'update_escalation') AND subject != 'regulatory' AND subject NOT LIKE 'regulatory.%')
            """), arguments: [incidentID]) ?? false
    }
}
