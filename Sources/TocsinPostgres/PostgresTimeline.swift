import Foundation
import PostgresNIO
import TocsinCore

/// Appends events to an incident's timeline inside the caller's transaction. The incident's
/// row is locked first, so that two instances writing to one incident take turns and its
/// hash chain stays one line.
enum PostgresTimeline {
    @discardableResult
    static func append(_ entry: TimelineEntry, in session: PostgresSession) throws -> Int {
        // An entry of no incident goes on the system timeline.
        guard !entry.isSystemWide else {
            try append(entry.systemEvent, in: session)
            return 0
        }
        let id = entry.incidentID
        let end: (sequence: Int, hash: String)
        if let known = session.chainEnds[id] {
            // Locked and read earlier in this transaction; nobody else can have appended since.
            end = known
        } else {
            try PostgresIncidentStore.lockIncident(id, in: session)
            let last = try session.row("SELECT seq, hash FROM event WHERE incident_id = \(id) ORDER BY seq DESC LIMIT 1")
            end = (try last?[0].decoded(Int.self) ?? 0, try last?[1].decoded(String.self) ?? TimelineEvent.genesisHash)
        }
        let event = entry.chained(sequence: end.sequence + 1, previousHash: end.hash)
        session.chainEnds[id] = (event.sequence, event.hash)
        try session.write("""
            INSERT INTO event (incident_id, seq, at, kind, actor, detail, prev_hash, hash)
            VALUES (\(id), \(event.sequence), \(event.at.millis), \(event.kind.rawValue), \(event.actor), \(JSONText.encode(event.detail)),
                    \(event.previousHash), \(event.hash))
            """, incident: id)
        return event.sequence
    }

    /// Appends an entry to Tocsin's own timeline.
    static func append(_ event: SystemEvent, in session: PostgresSession) throws {
        try session.write("INSERT INTO system_event (at, kind, detail) VALUES (\(event.at.millis), \(event.kind), \(JSONText.encode(event.detail)))")
    }
}
