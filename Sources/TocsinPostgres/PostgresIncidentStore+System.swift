import Foundation
import PostgresNIO
import TocsinCore

extension PostgresIncidentStore {
    public func recordSystemEvents(_ events: [SystemEvent]) throws {
        guard !events.isEmpty else { return }
        try connections.transaction { session in
            for event in events {
                try session.write("INSERT INTO system_event (at, kind, detail) VALUES (\(event.at.millis), \(event.kind), \(JSONText.encode(event.detail)))")
            }
        }
    }

    public func systemEvents(limit: Int) throws -> [SystemEvent] {
        try connections.read { session in
            try session.rows("SELECT * FROM (SELECT * FROM system_event ORDER BY id DESC LIMIT \(limit)) latest ORDER BY id").map { row in
                SystemEvent(at: try row.date("at"), kind: try row.value("kind"), detail: try JSONText.stringMap(try row.value("detail")))
            }
        }
    }
}
