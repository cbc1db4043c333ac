import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    public func addRosterChange(_ change: RosterChange) throws -> RosterChange {
        try requestWrite { db in
            try db.execute(sql: "INSERT INTO roster_change (status, starts_at, ends_at, body) VALUES (?, ?, ?, '{}')",
                           arguments: [change.status.rawValue, change.start.millis, change.end.millis])
            var stored = change
            stored.id = db.lastInsertedRowID
            try Self.write(stored, at: change.requestedAt, in: db)
            return stored
        }
    }

    public func updateRosterChange(_ id: Int64, now: Date, _ decide: (RosterChange) throws -> RosterChange) throws -> RosterChange {
        try requestWrite { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM roster_change WHERE id = ?", arguments: [id]) else {
                throw RosterChangeError.notFound(id)
            }
            let changed = try decide(try TocsinJSON.decoder.decode(RosterChange.self, from: Data(body.utf8)))
            try Self.write(changed, at: now, in: db)
            return changed
        }
    }

    public func rosterChanges(endingAfter instant: Date?) throws -> [RosterChange] {
        try read(justCommitted: false) { db in
            try String.fetchAll(db, sql: "SELECT body FROM roster_change WHERE ends_at > ? ORDER BY id", arguments: [instant?.millis ?? Int64.min])
                .map { try TocsinJSON.decoder.decode(RosterChange.self, from: Data($0.utf8)) }
        }
    }

    /// Writes `change` over its row and records it on the system timeline.
    private static func write(_ change: RosterChange, at instant: Date, in db: Database) throws {
        try db.execute(sql: "UPDATE roster_change SET status = ?, body = ? WHERE id = ?",
                       arguments: [change.status.rawValue, try JSONText.encode(change), change.id])
        let event = change.auditEvent(at: instant)
        try db.execute(sql: "INSERT INTO system_event (at, kind, detail) VALUES (?, ?, ?)",
                       arguments: [event.at.millis, event.kind, JSONText.encode(event.detail)])
    }
}
