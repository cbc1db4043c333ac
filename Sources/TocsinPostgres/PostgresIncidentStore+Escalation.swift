import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// Loading what the core's escalation decisions need, and writing what they decide.
extension PostgresIncidentStore {
    static func escalationState(of incident: Incident, in session: PostgresSession) throws -> EscalationState {
        try session.row("SELECT * FROM escalation WHERE incident_id = \(incident.id)").map { try $0.escalationState(of: incident) } ?? .firstPass(of: incident)
    }

    static func previousPass(of incidentID: Int64, in session: PostgresSession) throws -> Int? {
        try session.value("SELECT pass FROM escalation WHERE incident_id = \(incidentID)", as: Int.self)
    }

    static func escalate(incidentID: Int64, step: Int, pass: Int, dueAt: Date, rules: ResponseRules, in session: PostgresSession) throws {
        let incident = try incident(incidentID, locked: true, in: session)
        let state = try escalationState(of: incident, in: session)
        try PostgresRecordWriter.write(Escalation.fire(step: step, pass: pass, dueAt: dueAt, incident: incident, state: state, rules: rules), in: session)
    }

    static func acknowledgementTimedOut(incidentID: Int64, pass: Int, dueAt: Date, rules: ResponseRules, in session: PostgresSession) throws {
        let incident = try incident(incidentID, locked: true, in: session)
        let state = try escalationState(of: incident, in: session)
        try PostgresRecordWriter.write(Acknowledgement.timedOut(incident, state: state, pass: pass, dueAt: dueAt,
                                                                unresolved: try isUnresolved(incident, in: session), rules: rules), in: session)
    }

    /// Whether the incident's update cadences run: it has been taken before.
    static func cadencesRunning(_ incidentID: Int64, in session: PostgresSession) throws -> Bool {
        try session.value("""
            SELECT EXISTS (SELECT 1 FROM timer WHERE incident_id = \(incidentID) AND kind IN ('update_reminder', 'update_due', 'update_escalation')
                           AND subject != 'regulatory' AND subject NOT LIKE 'regulatory.%')
            """, as: Bool.self) ?? false
    }

    /// Still needs someone: an alert still fires and the incident is not closed.
    static func isUnresolved(_ incident: Incident, in session: PostgresSession) throws -> Bool {
        guard incident.stage != .closed else { return false }
        return try session.value("SELECT COUNT(*) FROM alert WHERE incident_id = \(incident.id) AND status = 'firing'", as: Int.self) ?? 0 > 0
    }

    static func passOverIfUnreachable(incidentID: Int64, pass: Int, step: Int, now: Date, in session: PostgresSession) throws {
        let incident = try incident(incidentID, locked: true, in: session)
        let state = try escalationState(of: incident, in: session)
        guard incident.acknowledgedAt == nil, state.pass == pass, state.step == step else { return }
        let pages = try session.rows("SELECT person, status, attempts FROM page WHERE incident_id = \(incidentID) AND pass = \(pass) AND step = \(step) AND kind = 'page'")
            .map { StepPage(person: try $0.value("person"), status: try $0.value("status"), attempts: try $0.value("attempts")) }
        let next = try session.row("SELECT id, due_at FROM timer WHERE kind = \(TimerKind.escalation.rawValue) AND incident_id = \(incidentID) ORDER BY due_at LIMIT 1")
            .map { (id: try $0.value("id", as: Int64.self), dueAt: try $0.date("due_at")) }
        try PostgresRecordWriter.write(Acknowledgement.passOverIfUnreachable(incident, state: state, pass: pass, step: step, pages: pages, nextStep: next,
                                                                             now: now), in: session)
    }

    public func acknowledge(incidentID: Int64, by person: String, via channel: String, rules: ResponseRules, now: Date) throws -> AcknowledgeOutcome {
        try connections.transaction { session in
            let incident = try Self.incident(incidentID, locked: true, in: session)
            let state = try Self.escalationState(of: incident, in: session)
            let unsent = incident.acknowledgedAt != nil ? [] :
                try session.rows("SELECT idempotency_key FROM page WHERE incident_id = \(incidentID) AND status = 'pending' AND kind = 'page' ORDER BY id")
                    .map { try $0.value("idempotency_key", as: String.self) }
            let (outcome, changes) = Acknowledgement.acknowledge(incident, state: state, by: person, via: channel, now: now, unsentPageKeys: unsent,
                                                                 unresolved: try Self.isUnresolved(incident, in: session),
                                                                 cadencesRunning: try Self.cadencesRunning(incidentID, in: session), rules: rules.procedure)
            try PostgresRecordWriter.write(changes, in: session)
            return outcome
        }
    }

    public func acknowledge(alertKey dedupKey: String, by actor: String, via channel: String, rules: ResponseRules, now: Date) throws -> AlertAcknowledgeOutcome {
        let incidentID = try connections.read { session in
            try session.value("SELECT incident_id FROM alert WHERE dedup_key = \(dedupKey) AND status = 'firing'", as: Int64.self)
        }
        guard let incidentID else { return .noIncident }
        switch try acknowledge(incidentID: incidentID, by: actor, via: channel, rules: rules, now: now) {
        case .acknowledged: return .acknowledged(incidentID: incidentID)
        case .alreadyAcknowledged: return .alreadyAcknowledged(incidentID: incidentID)
        // The step waits for everyone it paged; the relayed acknowledgement is on the timeline.
        case .partiallyAcknowledged: return .acknowledged(incidentID: incidentID)
        }
    }

    public func apply(_ command: ProcedureCommand, to incidentID: Int64, by actor: String, rules: ResponseRules, now: Date) throws -> ProcedureOutcome {
        try connections.transaction { session in
            let incident = try Self.incident(incidentID, locked: true, in: session)
            let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
            let procedure = Procedure(rules: rules.procedure, roster: rules.roster, runbook: runbook)
            let outcome = try procedure.apply(command, by: actor, to: incident, record: try Self.procedureRecord(incidentID, in: session), now: now)
            try session.write("UPDATE incident SET stage = \(outcome.stage.rawValue), procedure = \(try JSONText.encode(outcome.record)) WHERE id = \(incidentID)")
            try PostgresRecordWriter.write(outcome.changes(to: incident, by: actor, rules: rules, now: now, cadencesRunning: try Self.cadencesRunning(incidentID, in: session)),
                                           in: session)
            return outcome
        }
    }
}
