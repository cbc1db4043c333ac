import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func addRosterChange(_ change: RosterChange) throws -> RosterChange {
        try connections.transaction { session in
            let id = try session.value("""
                INSERT INTO roster_change (status, starts_at, ends_at, body) VALUES (\(change.status.rawValue), \(change.start.millis), \(change.end.millis), '{}')
                RETURNING id
                """, as: Int64.self)!
            var stored = change
            stored.id = id
            try Self.write(stored, at: change.requestedAt, in: session)
            return stored
        }
    }

    public func updateRosterChange(_ id: Int64, now: Date, _ decide: (RosterChange) throws -> RosterChange) throws -> RosterChange {
        try connections.transaction { session in
            guard let body = try session.value("SELECT body FROM roster_change WHERE id = \(id) FOR UPDATE", as: String.self) else {
                throw RosterChangeError.notFound(id)
            }
            let changed = try decide(try TocsinJSON.decoder.decode(RosterChange.self, from: Data(body.utf8)))
            try Self.write(changed, at: now, in: session)
            return changed
        }
    }

    public func rosterChanges(endingAfter instant: Date?) throws -> [RosterChange] {
        try connections.read { session in
            try session.rows("SELECT body FROM roster_change WHERE ends_at > \(instant?.millis ?? Int64.min) ORDER BY id").map { row in
                try TocsinJSON.decoder.decode(RosterChange.self, from: Data(try row.value("body", as: String.self).utf8))
            }
        }
    }

    /// Writes `change` over its row and records it on the system timeline.
    private static func write(_ change: RosterChange, at instant: Date, in session: PostgresSession) throws {
        try session.write("UPDATE roster_change SET status = \(change.status.rawValue), body = \(try JSONText.encode(change)) WHERE id = \(change.id)")
        let event = change.auditEvent(at: instant)
        try session.write("INSERT INTO system_event (at, kind, detail) VALUES (\(event.at.millis), \(event.kind), \(JSONText.encode(event.detail)))")
    }
}
