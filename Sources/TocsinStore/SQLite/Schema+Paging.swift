import GRDB

extension Schema {
    /// "v2-paging": escalation passes (repeats, acknowledgement timeouts), per-step
    /// acknowledgement, contact flavours and delays, and bundling of flooded destinations.
    static func registerPaging(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-paging") { db in
            try db.execute(sql: """
                ALTER TABLE timer ADD COLUMN pass INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX IF NOT EXISTS timer_by_incident ON timer(incident_id, kind);
                CREATE INDEX IF NOT EXISTS timer_by_alert ON timer(alert_id) WHERE alert_id IS NOT NULL;
                CREATE TABLE escalation (
                    incident_id INTEGER PRIMARY KEY REFERENCES incident(id),
                    pass INTEGER NOT NULL,
                    pass_reason TEXT NOT NULL,
                    epoch_at INTEGER NOT NULL,
                    repeats_done INTEGER NOT NULL,
                    step INTEGER NOT NULL,
                    awaiting TEXT NOT NULL
                );
                ALTER TABLE page ADD COLUMN pass INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE page ADD COLUMN step INTEGER;
                ALTER TABLE page ADD COLUMN kind TEXT NOT NULL DEFAULT 'page';
                ALTER TABLE page ADD COLUMN flavour TEXT NOT NULL DEFAULT 'json';
                ALTER TABLE page ADD COLUMN url_template TEXT;
                ALTER TABLE page ADD COLUMN message TEXT;
                ALTER TABLE page ADD COLUMN content_type TEXT NOT NULL DEFAULT 'application/json';
                ALTER TABLE page ADD COLUMN bundle_id INTEGER REFERENCES page(id);
                ALTER TABLE page ADD COLUMN sent_at INTEGER;
                CREATE INDEX page_by_step ON page(incident_id, pass, step);
                CREATE INDEX page_by_bundle ON page(bundle_id) WHERE bundle_id IS NOT NULL;
                CREATE TABLE destination_send (
                    destination TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX destination_send_by_time ON destination_send(destination, at);
                """)
        }
    }
}
