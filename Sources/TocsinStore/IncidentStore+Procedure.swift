import Foundation
import GRDB
import TocsinCore

extension IncidentStore {
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
            var incident = try Self.incident(incidentID, in: db)
            let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
            let procedure = Procedure(rules: rules.procedure, roster: rules.roster, runbook: runbook)
            let outcome = try procedure.apply(command, by: actor, stage: incident.stage, record: try Self.procedureRecord(incidentID, in: db), now: now)
            try db.cachedStatement(sql: "UPDATE incident SET stage = ?, procedure = ? WHERE id = ?").execute(
                           arguments: [outcome.stage.rawValue, try JSONText.encode(outcome.record), incidentID])
            var cause = 0
            for event in outcome.events {
                cause = try Timeline.append(event.kind, incident: incidentID, actor: actor, at: now, detail: event.detail, in: db)
            }
            incident.stage = outcome.stage
            for effect in outcome.effects {
                try Self.carryOut(effect, incident: incident, record: outcome.record, actor: actor, cause: cause, rules: rules, now: now, in: db)
            }
            return outcome
        }
    }

    private static func carryOut(_ effect: ProcedureEffect, incident: Incident, record: ProcedureRecord, actor: String, cause: Int,
                                 rules: ResponseRules, now: Date, in db: Database) throws {
        switch effect {
        case .noticeStageChange(let from, let to):
            try Notices.queue(
                to: rules.procedure.stageNotices, alsoTo: [record.roles.commander, record.roles.coordinator, record.roles.businessLead].compactMap { $0 },
                incident: incident, subject: "stage_changed", message: "Incident \(incident.id) moved from \(from.rawValue) to \(to.rawValue) (by \(actor)).",
                cause: cause, roster: rules.roster, at: now, in: db)
        case .startAssessmentDeadline(let due):
            try Clocks.schedule(.deadline, subject: Clocks.assessmentDeadline, incident: incident.id, at: due, in: db)
        case .stopAssessmentDeadline:
            try Clocks.cancel([.deadline], subject: Clocks.assessmentDeadline, incident: incident.id, in: db)
        case .restartCadence(let kind):
            try Clocks.cancel([.updateReminder, .updateDue, .updateEscalation], subject: kind.rawValue, incident: incident.id, in: db)
            if let interval = rules.procedure.cadences(for: incident.severity)[kind] {
                try Clocks.scheduleUpdate(kind, dueAt: now.addingTimeInterval(interval.seconds), incident: incident.id, rules: rules.procedure, in: db)
            }
        case .callTradeSwitch:
            break
        case .pageLoudly(let targets, let message):
            try Notices.queue(to: targets, incident: incident, subject: "urgent", message: message,
                              cause: cause, roster: rules.roster, at: now, in: db)
        case .stopAllClocks:
            try db.cachedStatement(sql: "DELETE FROM timer WHERE incident_id = ?").execute(arguments: [incident.id])
        }
    }
}
