import GRDB

extension Schema {
    /// Migration `drill-v1`: drills are incidents that rehearse the procedure; the flag keeps
    /// them out of the response figures and marks their pages.
    static func registerDrills(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("drill-v1") { db in
            try db.execute(sql: "ALTER TABLE incident ADD COLUMN drill INTEGER NOT NULL DEFAULT 0")
        }
    }

    /// Migration `drill-v2`: the people a drill's script keeps silent, comma-separated.
    static func registerDrillSilence(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("drill-v2") { db in
            try db.execute(sql: "ALTER TABLE incident ADD COLUMN drill_silent TEXT NOT NULL DEFAULT ''")
        }
    }
}
