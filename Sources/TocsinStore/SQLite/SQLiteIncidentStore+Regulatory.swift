import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Records a regulatory declaration or submission in one transaction: its event and the clocks it starts or stops.
    public func file(_ command: RegulatoryCommand, on incidentID: Int64, by actor: String, rules: ResponseRules, now: Date) throws {
        try requestWrite { db in
            let incident = try Self.incident(incidentID, in: db)
            let events = try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM event WHERE incident_id = ? ORDER BY seq"), arguments: [incidentID])
                .map(TimelineEvent.init(row:))
            let changes = try RegulatoryFiling.apply(command, by: actor, incident: incident, record: try Self.procedureRecord(incidentID, in: db),
                                                     events: events, rules: rules, now: now)
            try RecordWriter.write(changes, in: db)
        }
    }
}
