import GRDB

/// The tables and columns integrations, silences and heartbeats add (migration `v2-integrations`).
enum IntegrationSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE alert ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
            ALTER TABLE alert ADD COLUMN silenced_by INTEGER REFERENCES silence(id);
            ALTER TABLE timer ADD COLUMN silence_id INTEGER;
            ALTER TABLE timer ADD COLUMN heartbeat TEXT;
            CREATE INDEX alert_by_silence ON alert(silenced_by) WHERE silenced_by IS NOT NULL;
            CREATE INDEX alert_by_key ON alert(dedup_key);
            CREATE TABLE silence (
                id INTEGER PRIMARY KEY,
                matchers TEXT NOT NULL,
                starts_at INTEGER NOT NULL,
                ends_at INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                comment TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expired_at INTEGER,
                expired_by TEXT
            );
            CREATE TABLE heartbeat (
                name TEXT PRIMARY KEY,
                interval_ms INTEGER NOT NULL,
                service TEXT NOT NULL,
                summary TEXT NOT NULL,
                labels TEXT NOT NULL,
                declared_at INTEGER NOT NULL,
                last_check_in_at INTEGER,
                check_ins INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            """)
    }
}
