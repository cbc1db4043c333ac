import GRDB

/// How many alerts the store holds, by status.
public struct AlertCounts: Sendable, Codable, Hashable {
    public var firing: Int
    public var resolved: Int
}

extension IncidentStore {
    public func alertCounts() throws -> AlertCounts {
        try database.read { db in
            AlertCounts(
                firing: try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE status = 'firing'")) ?? 0,
                resolved: try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE status = 'resolved'")) ?? 0
            )
        }
    }
}
