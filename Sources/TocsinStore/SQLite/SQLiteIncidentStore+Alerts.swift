import GRDB

extension SQLiteIncidentStore {
    public func alertCounts() throws -> AlertCounts {
        try database.read { db in
            AlertCounts(
                firing: try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE status = 'firing'")) ?? 0,
                resolved: try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE status = 'resolved'")) ?? 0
            )
        }
    }
}
