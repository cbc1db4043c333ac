import GRDB

extension Schema {
    /// Migration `v3-ingest`: new alerts touch one index keyed by their (random) dedup key
    /// instead of two. Looking up an alert's history by key is only needed for resolved ones
    /// (a late repeat of a resolved alert must not reopen it), so only they are indexed by key
    /// besides the unique index of open alerts.
    ///
    /// Migration `v4-open-alerts`: the open alerts are looked up by key in memory (`OpenAlerts`),
    /// so new alerts write no index page at a random place at all.
    static func registerIngest(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-ingest") { db in
            try db.execute(sql: """
                DROP INDEX alert_by_key;
                CREATE INDEX alert_resolved_by_key ON alert(dedup_key, starts_at) WHERE status = 'resolved';
                """)
        }
        migrator.registerMigration("v4-open-alerts") { db in
            try db.execute(sql: "DROP INDEX alert_open_by_key")
        }
        // When a page under a rate limit was claimed to go out on its own: if its sender dies
        // before recording the attempt, it goes again under its own key, never in a bundle.
        migrator.registerMigration("v5-page-claims") { db in
            try db.execute(sql: "ALTER TABLE page ADD COLUMN claimed_at INTEGER")
        }
        // What Tocsin did about itself: its fallback alarm's messages (`SystemEvent`).
        migrator.registerMigration("v6-system-events") { db in
            try db.execute(sql: "CREATE TABLE system_event (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL)")
        }
    }
}
