import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// The incident's procedure record: roles, assessment, plan, operations, reconciliation.
    public func procedureRecord(_ incidentID: Int64) throws -> ProcedureRecord {
        try database.read { db in
            _ = try Self.incident(incidentID, in: db)
            return try Self.procedureRecord(incidentID, in: db)
        }
    }

    static func procedureRecord(_ incidentID: Int64, in db: Database) throws -> ProcedureRecord {
        let json = try String.fetchOne(db.cachedStatement(sql: "SELECT procedure FROM incident WHERE id = ?"), arguments: [incidentID]) ?? "{}"
        return (try? JSONDecoder().decode(ProcedureRecord.self, from: Data(json.utf8))) ?? ProcedureRecord()
    }

    /// Applies a procedure command in one transaction: the new stage and record, the events
    /// recording them, and the clocks and notices they set off. A refused command changes nothing.
    public func apply(_ command: ProcedureCommand, to incidentID: Int64, by actor: String, rules: ResponseRules, now: Date) throws -> ProcedureOutcome {
        try requestWrite { db in
            let incident = try Self.incident(incidentID, in: db)
            let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
            let procedure = Procedure(rules: rules.procedure, roster: rules.roster, runbook: runbook)
            let outcome = try procedure.apply(command, by: actor, to: incident, record: try Self.procedureRecord(incidentID, in: db), now: now)
            try db.cachedStatement(sql: "UPDATE incident SET stage = ?, procedure = ? WHERE id = ?").execute(
                           arguments: [outcome.stage.rawValue, try JSONText.encode(outcome.record), incidentID])
            try RecordWriter.write(outcome.changes(to: incident, by: actor, rules: rules, now: now, cadencesRunning: try Self.cadencesRunning(incidentID, in: db)), in: db)
            return outcome
        }
    }
}
