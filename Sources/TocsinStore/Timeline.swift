import Foundation
import GRDB
import TocsinCore

/// Appends events to an incident's timeline inside the caller's transaction, chaining
/// each to the hash of the one before.
enum Timeline {
    /// Returns the new event's sequence number.
    @discardableResult
    static func append(_ kind: TimelineEventKind, incident: Int64, actor: String, at: Date, detail: [String: String] = [:], in db: Database) throws -> Int {
        let last = try Row.fetchOne(try db.cachedStatement(sql: "SELECT seq, hash FROM event WHERE incident_id = ? ORDER BY seq DESC LIMIT 1"), arguments: [incident])
        let event = TimelineEvent(
            incidentID: incident,
            sequence: (last?["seq"] as Int? ?? 0) + 1,
            at: at,
            kind: kind,
            actor: actor,
            detail: detail,
            previousHash: last?["hash"] ?? TimelineEvent.genesisHash
        )
        try db.cachedStatement(sql: "INSERT INTO event (incident_id, seq, at, kind, actor, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").execute(arguments: [event.incidentID, event.sequence, at.millis, kind.rawValue, actor, JSONText.encode(detail), event.previousHash, event.hash]
        )
        return event.sequence
    }
}
