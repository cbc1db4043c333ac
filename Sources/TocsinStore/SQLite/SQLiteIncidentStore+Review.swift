import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Records that `person` exported the incident, then returns what the export is built
    /// from, in one transaction, so the export contains the record of itself.
    public func recordExport(of incidentID: Int64, by person: String, format: String, now: Date) throws -> (Incident, ProcedureRecord, [TimelineEvent]) {
        try requestWrite { db in
            let incident = try Self.incident(incidentID, in: db)
            try RecordWriter.write([.event(TimelineEntry(.exported, incident: incidentID, actor: person, at: now, detail: ["format": format]))], in: db)
            let events = try Row.fetchAll(db, sql: "SELECT * FROM event WHERE incident_id = ? ORDER BY seq", arguments: [incidentID]).map(TimelineEvent.init(row:))
            return (incident, try Self.procedureRecord(incidentID, in: db), events)
        }
    }

    /// Incidents opened in `[from, to)`, each with its record and timeline, for response figures.
    public func incidents(openedFrom from: Date, to: Date) throws -> [(Incident, ProcedureRecord, [TimelineEvent])] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incident WHERE opened_at >= ? AND opened_at < ? ORDER BY id", arguments: [from.millis, to.millis]).map { row in
                let incident = try Incident(row: row)
                let events = try Row.fetchAll(db, sql: "SELECT * FROM event WHERE incident_id = ? ORDER BY seq", arguments: [incident.id]).map(TimelineEvent.init(row:))
                return (incident, try Self.procedureRecord(incident.id, in: db), events)
            }
        }
    }

    /// Checks every incident's hash chain; returns the first broken event of each broken chain
    /// and how many events were checked.
    public func verifyTimelines() throws -> (broken: [BrokenChain], checked: Int) {
        try database.read(Self.verifyTimelines)
    }

    static func verifyTimelines(in db: Database) throws -> (broken: [BrokenChain], checked: Int) {
        var broken: [BrokenChain] = []
        var checked = 0
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM incident ORDER BY id") {
            let events = try Row.fetchAll(db, sql: "SELECT * FROM event WHERE incident_id = ? ORDER BY seq", arguments: [id]).map(TimelineEvent.init(row:))
            checked += events.count
            if let problem = events.chainProblem() {
                broken.append(BrokenChain(incidentID: id, sequence: problem.event.sequence, kind: problem.event.kind, reason: problem.reason))
            }
        }
        return (broken, checked)
    }
}
