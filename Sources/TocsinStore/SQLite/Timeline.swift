import Foundation
import GRDB
import TocsinCore

/// Appends events to an incident's timeline inside the caller's transaction, chaining
/// each to the hash of the one before.
enum Timeline {
    /// Returns the new event's sequence number; an entry of no incident goes on the system timeline (and returns 0).
    @discardableResult
    static func append(_ entry: TimelineEntry, in db: Database) throws -> Int {
        guard !entry.isSystemWide else {
            try append(entry.systemEvent, in: db)
            return 0
        }
        let last = try Row.fetchOne(try db.cachedStatement(sql: "SELECT seq, hash FROM event WHERE incident_id = ? ORDER BY seq DESC LIMIT 1"), arguments: [entry.incidentID])
        let event = entry.chained(sequence: (last?["seq"] as Int? ?? 0) + 1, previousHash: last?["hash"] ?? TimelineEvent.genesisHash)
        try db.cachedStatement(sql: "INSERT INTO event (incident_id, seq, at, kind, actor, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [event.incidentID, event.sequence, event.at.millis, event.kind.rawValue, event.actor, JSONText.encode(event.detail),
                                 event.previousHash, event.hash])
        return event.sequence
    }

    /// Appends an entry to Tocsin's own timeline.
    static func append(_ event: SystemEvent, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO system_event (at, kind, detail) VALUES (?, ?, ?)")
            .execute(arguments: [event.at.millis, event.kind, JSONText.encode(event.detail)])
    }
}
