import GRDB

extension Schema {
    /// The emergency procedure: each incident's record, clock subjects on timers, and the
    /// audience of a page so internal people are told before external ones; timers found by
    /// their alert or incident without a scan.
    static func registerProcedure(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-procedure") { db in
            try db.execute(sql: """
                ALTER TABLE incident ADD COLUMN procedure TEXT NOT NULL DEFAULT '{}';
                ALTER TABLE timer ADD COLUMN subject TEXT;
                CREATE INDEX timer_by_incident ON timer(incident_id, kind);
                CREATE INDEX timer_by_alert ON timer(alert_id) WHERE alert_id IS NOT NULL;
                ALTER TABLE page ADD COLUMN audience TEXT NOT NULL DEFAULT 'internal';
                """)
        }
    }
}
