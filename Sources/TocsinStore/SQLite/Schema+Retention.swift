import GRDB

extension Schema {
    /// Migration `v7-retention`: the anchors of archived incidents (`ArchivedIncident`).
    static func registerRetention(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-retention") { db in
            try db.execute(sql: """
                CREATE TABLE archived_incident (
                    incident_id INTEGER PRIMARY KEY,
                    closed_at INTEGER NOT NULL,
                    archived_at INTEGER NOT NULL,
                    events INTEGER NOT NULL,
                    last_hash TEXT NOT NULL,
                    file TEXT NOT NULL
                )
                """)
        }
    }
}
