import GRDB

extension Schema {
    /// Migration `v8-handover`: shift handovers, each as the API shows it, read back whole; and
    /// pages that belong to no incident (a shift's start, an unacknowledged handover), so the
    /// page table is rebuilt with `incident_id` allowed to be NULL.
    static func registerHandover(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-handover") { db in
            try db.execute(sql: """
                CREATE TABLE handover (
                    id INTEGER PRIMARY KEY,
                    role TEXT NOT NULL,
                    shift_change_at INTEGER NOT NULL,
                    acknowledged_at INTEGER,
                    body TEXT NOT NULL
                );
                CREATE UNIQUE INDEX handover_by_shift ON handover(role, shift_change_at);
                CREATE TABLE page_v8 (
                    id INTEGER PRIMARY KEY,
                    incident_id INTEGER REFERENCES incident(id),
                    idempotency_key TEXT NOT NULL UNIQUE,
                    person TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    url TEXT NOT NULL,
                    body BLOB NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    audience TEXT NOT NULL DEFAULT 'internal',
                    pass INTEGER NOT NULL DEFAULT 0,
                    step INTEGER,
                    kind TEXT NOT NULL DEFAULT 'page',
                    flavour TEXT NOT NULL DEFAULT 'json',
                    url_template TEXT,
                    message TEXT,
                    content_type TEXT NOT NULL DEFAULT 'application/json',
                    bundle_id INTEGER REFERENCES page(id),
                    sent_at INTEGER,
                    claimed_at INTEGER
                );
                INSERT INTO page_v8 (id, incident_id, idempotency_key, person, channel, url, body, status, attempts, next_attempt_at, created_at,
                                     audience, pass, step, kind, flavour, url_template, message, content_type, bundle_id, sent_at, claimed_at)
                    SELECT id, incident_id, idempotency_key, person, channel, url, body, status, attempts, next_attempt_at, created_at,
                           audience, pass, step, kind, flavour, url_template, message, content_type, bundle_id, sent_at, claimed_at FROM page;
                DROP TABLE page;
                ALTER TABLE page_v8 RENAME TO page;
                CREATE INDEX page_pending ON page(next_attempt_at) WHERE status = 'pending';
                CREATE INDEX page_by_step ON page(incident_id, pass, step);
                CREATE INDEX page_by_bundle ON page(bundle_id) WHERE bundle_id IS NOT NULL;
                """)
        }
    }
}
