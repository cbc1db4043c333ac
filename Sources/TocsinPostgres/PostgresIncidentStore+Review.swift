import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func recordExport(of incidentID: Int64, by person: String, format: String, now: Date) throws -> (Incident, ProcedureRecord, [TimelineEvent]) {
        try connections.transaction { session in
            let incident = try Self.incident(incidentID, locked: true, in: session)
            try PostgresRecordWriter.write([.event(TimelineEntry(.exported, incident: incidentID, actor: person, at: now, detail: ["format": format]))], in: session)
            return (incident, try Self.procedureRecord(incidentID, in: session), try Self.timeline(incidentID, in: session))
        }
    }

    public func incidents(openedFrom from: Date, to: Date) throws -> [(Incident, ProcedureRecord, [TimelineEvent])] {
        try connections.read { session in
            try session.rows("SELECT * FROM incident WHERE opened_at >= \(from.millis) AND opened_at < \(to.millis) ORDER BY id").map { row in
                let incident = try row.incident()
                return (incident, try Self.procedureRecord(incident.id, in: session), try Self.timeline(incident.id, in: session))
            }
        }
    }

    public func verifyTimelines() throws -> (broken: [BrokenChain], checked: Int) {
        try connections.read { session in
            var broken: [BrokenChain] = []
            var checked = 0
            for row in try session.rows("SELECT id FROM incident ORDER BY id") {
                let id: Int64 = try row.value("id")
                let events = try Self.timeline(id, in: session)
                checked += events.count
                if let problem = events.chainProblem() {
                    broken.append(BrokenChain(incidentID: id, sequence: problem.event.sequence, kind: problem.event.kind, reason: problem.reason))
                }
            }
            return (broken, checked)
        }
    }
}
