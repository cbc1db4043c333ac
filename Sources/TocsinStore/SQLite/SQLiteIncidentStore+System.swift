import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    public func recordSystemEvents(_ events: [SystemEvent]) throws {
        guard !events.isEmpty else { return }
        try requestWrite { db in
            for event in events {
                try db.cachedStatement(sql: "INSERT INTO system_event (at, kind, detail) VALUES (?, ?, ?)")
                    .execute(arguments: [event.at.millis, event.kind, JSONText.encode(event.detail)])
            }
        }
    }

    public func systemEvents(limit: Int) throws -> [SystemEvent] {
        try read(justCommitted: false) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM system_event ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit]).map { row in
                SystemEvent(at: Date(millis: row["at"]), kind: row["kind"], detail: try JSONText.stringMap(row["detail"]))
            }
        }
    }
}
