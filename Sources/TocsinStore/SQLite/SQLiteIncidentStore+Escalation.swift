import Foundation
import GRDB
import TocsinCore

/// Loading what the core's escalation decisions need, and writing what they decide.
extension SQLiteIncidentStore {
    /// Starts an incident's escalation at `start` (see `Escalation.start`).
    static func startPaging(_ incident: Incident, at start: Date, rules: ResponseRules, in db: Database) throws {
        try RecordWriter.write(Escalation.start(incident, previousPass: try previousPass(of: incident.id, in: db), at: start, rules: rules), in: db)
    }

    static func previousPass(of incidentID: Int64, in db: Database) throws -> Int? {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT pass FROM escalation WHERE incident_id = ?"), arguments: [incidentID])
    }

    /// Fires step `step` of pass `pass` (see `Escalation.fire`).
    static func escalate(incidentID: Int64, step: Int, pass: Int, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        let incident = try incident(incidentID, in: db)
        let state = try EscalationState.load(incident, in: db)
        try RecordWriter.write(Escalation.fire(step: step, pass: pass, dueAt: dueAt, incident: incident, state: state, rules: rules), in: db)
    }

    /// An acknowledgement timer came due (see `Acknowledgement.timedOut`).
    static func acknowledgementTimedOut(incidentID: Int64, pass: Int, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        let incident = try incident(incidentID, in: db)
        let state = try EscalationState.load(incident, in: db)
        let changes = Acknowledgement.timedOut(incident, state: state, pass: pass, dueAt: dueAt, unresolved: try isUnresolved(incident, in: db), rules: rules)
        try RecordWriter.write(changes, in: db)
    }

    /// Still needs someone: an alert still fires and the incident is not closed.
    static func isUnresolved(_ incident: Incident, in db: Database) throws -> Bool {
        guard incident.stage != .closed else { return false }
        let firing = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE incident_id = ? AND status = 'firing'"), arguments: [incident.id]) ?? 0
        return firing > 0
    }

    /// A page of step `step` failed (see `Acknowledgement.passOverIfUnreachable`).
    static func passOverIfUnreachable(incidentID: Int64, pass: Int, step: Int, now: Date, in db: Database) throws {
        let incident = try incident(incidentID, in: db)
        let state = try EscalationState.load(incident, in: db)
        guard incident.acknowledgedAt == nil, state.pass == pass, state.step == step else { return }
        let pages = try Row.fetchAll(try db.cachedStatement(sql: "SELECT person, status, attempts FROM page WHERE incident_id = ? AND pass = ? AND step = ? AND kind = 'page'"),
                                     arguments: [incidentID, pass, step])
            .map { StepPage(person: $0["person"], status: $0["status"], attempts: $0["attempts"]) }
        let next = try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, due_at FROM timer WHERE kind = ? AND incident_id = ? ORDER BY due_at LIMIT 1"),
                                    arguments: [TimerKind.escalation.rawValue, incidentID])
            .map { (id: $0["id"] as Int64, dueAt: Date(millis: $0["due_at"])) }
        try RecordWriter.write(Acknowledgement.passOverIfUnreachable(incident, state: state, pass: pass, step: step, pages: pages, nextStep: next, now: now), in: db)
    }
}
