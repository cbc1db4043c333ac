import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func openDrill(_ opening: DrillOpening, rules: ResponseRules) throws -> Incident {
        try connections.transaction { session in
            let id = try session.value("""
                INSERT INTO incident (title, service, severity, stage, runbook_id, opened_at, policy, procedure, drill)
                VALUES (\(opening.title), \(opening.service), \(opening.severity.rawValue), \(Stage.reported.rawValue), \(opening.runbook.id),
                        \(opening.openedAt.millis), \(try Snapshots.policies.text(of: opening.policy)), \(try Snapshots.openingRecords.text(of: opening.record)), true)
                RETURNING id
                """, as: Int64.self)!
            // Nobody else sees the new row before the commit, and its timeline is empty.
            session.lockedIncidents.insert(id)
            session.chainEnds[id] = (0, TimelineEvent.genesisHash)
            try PostgresRecordWriter.write(opening.changes(id: id, rules: rules), in: session)
            return opening.incident(id: id)
        }
    }

    public func recordRefusal(_ entry: TimelineEntry) throws {
        try connections.transaction { session in
            _ = try Self.incident(entry.incidentID, locked: true, in: session)
            try PostgresRecordWriter.write([.event(entry)], in: session)
        }
    }

    /// A drill script's injection came due.
    static func inject(subject: String, incidentID: Int64, dueAt: Date, rules: ResponseRules, in session: PostgresSession) throws {
        guard let injection = DrillInjection(subject: subject) else { return }
        let incident = try incident(incidentID, locked: true, in: session)
        let record = try procedureRecord(incidentID, in: session)
        let unsent = try injection.silencedPerson(record: record, roster: rules.roster).map { person in
            try session.rows("SELECT idempotency_key FROM page WHERE incident_id = \(incidentID) AND person = \(person) AND status = 'pending' ORDER BY id")
                .map { try $0.value("idempotency_key", as: String.self) }
        } ?? []
        try PostgresRecordWriter.write(injection.fire(incident: incident, record: record, dueAt: dueAt, rules: rules, unsentPageKeys: unsent), in: session)
    }
}
