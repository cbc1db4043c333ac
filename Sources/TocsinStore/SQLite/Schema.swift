import GRDB

/// The database layout, as migrations applied in order on open.
///
/// Times are INTEGER milliseconds since 1970 UTC.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE incident (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL,
                    service TEXT NOT NULL,
                    severity INTEGER NOT NULL,
                    stage TEXT NOT NULL,
                    runbook_id TEXT,
                    opened_at INTEGER NOT NULL,
                    acknowledged_at INTEGER,
                    acknowledged_by TEXT,
                    policy TEXT NOT NULL
                );
                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    dedup_key TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    service TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    status TEXT NOT NULL,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER,
                    first_received_at INTEGER NOT NULL,
                    last_received_at INTEGER NOT NULL,
                    receive_count INTEGER NOT NULL,
                    severity INTEGER NOT NULL,
                    incident_id INTEGER REFERENCES incident(id)
                );
                CREATE UNIQUE INDEX alert_open_by_key ON alert(dedup_key) WHERE status = 'firing';
                CREATE INDEX alert_by_incident ON alert(incident_id);
                CREATE TABLE event (
                    incident_id INTEGER NOT NULL REFERENCES incident(id),
                    seq INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    PRIMARY KEY (incident_id, seq)
                ) WITHOUT ROWID;
                CREATE TABLE timer (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    due_at INTEGER NOT NULL,
                    incident_id INTEGER,
                    alert_id INTEGER,
                    step INTEGER
                );
                CREATE INDEX timer_by_due ON timer(due_at);
                CREATE TABLE page (
                    id INTEGER PRIMARY KEY,
                    incident_id INTEGER NOT NULL REFERENCES incident(id),
                    idempotency_key TEXT NOT NULL UNIQUE,
                    person TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    url TEXT NOT NULL,
                    body BLOB NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX page_pending ON page(next_attempt_at) WHERE status = 'pending';
                """)
        }
        registerProcedure(in: &migrator)
        migrator.registerMigration("v2-integrations", migrate: IntegrationSchema.migrate)
        registerPaging(in: &migrator)
        registerIngest(in: &migrator)
        registerRoster(in: &migrator)
        registerDrills(in: &migrator)
        registerRetention(in: &migrator)
        registerHandover(in: &migrator)
        registerDrillSilence(in: &migrator)
        return migrator
    }
}
