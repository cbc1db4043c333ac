import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    public func openDrill(_ opening: DrillOpening, rules: ResponseRules) throws -> Incident {
        try requestWrite { db in
            try db.cachedStatement(sql: """
                INSERT INTO incident (title, service, severity, stage, runbook_id, opened_at, policy, procedure, drill) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                """).execute(arguments: [opening.title, opening.service, opening.severity.rawValue, Stage.reported.rawValue, opening.runbook.id,
                                         opening.openedAt.millis, try Snapshots.policies.text(of: opening.policy), try Snapshots.openingRecords.text(of: opening.record)])
            let id = db.lastInsertedRowID
            try RecordWriter.write(opening.changes(id: id, rules: rules), in: db)
            return try Self.incident(id, in: db)
        }
    }

    public func recordRefusal(_ entry: TimelineEntry) throws {
        try requestWrite { db in
            _ = try Self.incident(entry.incidentID, in: db)
            try RecordWriter.write([.event(entry)], in: db)
        }
    }

    /// A drill script's injection came due.
    static func inject(subject: String, incidentID: Int64, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        guard let injection = DrillInjection(subject: subject) else { return }
        let incident = try incident(incidentID, in: db)
        let record = try procedureRecord(incidentID, in: db)
        let unsent = try injection.silencedPerson(record: record, roster: rules.roster).map { person in
            try String.fetchAll(db.cachedStatement(sql: "SELECT idempotency_key FROM page WHERE incident_id = ? AND person = ? AND status = 'pending' ORDER BY id"),
                                arguments: [incidentID, person])
        } ?? []
        try RecordWriter.write(injection.fire(incident: incident, record: record, dueAt: dueAt, rules: rules, unsentPageKeys: unsent), in: db)
    }
}
