import Foundation
import GRDB

/// Every row of every table, as text, to prove a refused request changed nothing.
func databaseSnapshot(_ path: String) throws -> String {
    let queue = try DatabaseQueue(path: path)
    return try queue.read { db in
        var text = ""
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name")
        for table in tables {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2") {
                text += "\(table): \(row.description)\n"
            }
        }
        return text
    }
}
