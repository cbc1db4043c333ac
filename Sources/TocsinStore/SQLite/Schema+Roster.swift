import GRDB

extension Schema {
    /// Migration `v5-roster`: roster changes made while Tocsin runs (overrides, stand-ins,
    /// swaps), each the change as the API shows it, read back whole.
    static func registerRoster(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-roster") { db in
            try db.execute(sql: """
                CREATE TABLE roster_change (
                    id INTEGER PRIMARY KEY,
                    status TEXT NOT NULL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX roster_change_by_end ON roster_change(ends_at);
                """)
        }
    }
}
