import Foundation
import TocsinCore

extension PostgresIncidentStore {
    /// Records a regulatory declaration or submission in one transaction: its event and the clocks it starts or stops.
    public func file(_ command: RegulatoryCommand, on incidentID: Int64, by actor: String, rules: ResponseRules, now: Date) throws {
        try connections.transaction { session in
            let incident = try Self.incident(incidentID, locked: true, in: session)
            let changes = try RegulatoryFiling.apply(command, by: actor, incident: incident, record: try Self.procedureRecord(incidentID, in: session),
                                                     events: try Self.timeline(incidentID, in: session), rules: rules, now: now)
            try PostgresRecordWriter.write(changes, in: session)
        }
    }
}
