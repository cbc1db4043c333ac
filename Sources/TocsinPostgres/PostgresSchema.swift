import PostgresNIO

/// The PostgreSQL layout: the SQLite store's tables with the same columns (times as BIGINT
/// milliseconds since 1970 UTC), plus what several instances sharing one database need:
/// open alerts unique by key in the database, and leases on the page outbox.
enum PostgresSchema {
    /// Migrations in order, each applied once, by name.
    static let migrations: [(name: String, sql: String)] = [
        ("v1", """
            CREATE TABLE incident (
                id BIGSERIAL PRIMARY KEY,
                title TEXT NOT NULL,
                service TEXT NOT NULL,
                severity INTEGER NOT NULL,
                stage TEXT NOT NULL,
                runbook_id TEXT,
                opened_at BIGINT NOT NULL,
                acknowledged_at BIGINT,
                acknowledged_by TEXT,
                policy TEXT NOT NULL,
                procedure TEXT NOT NULL DEFAULT '{}'
            );
            CREATE TABLE silence (
                id BIGSERIAL PRIMARY KEY,
                matchers TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                ends_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                comment TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expired_at BIGINT,
                expired_by TEXT
            );
            CREATE TABLE alert (
                id BIGSERIAL PRIMARY KEY,
                source TEXT NOT NULL,
                dedup_key TEXT NOT NULL,
                summary TEXT NOT NULL,
                service TEXT NOT NULL,
                labels TEXT NOT NULL,
                details TEXT NOT NULL DEFAULT '{}',
                status TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                ends_at BIGINT,
                first_received_at BIGINT NOT NULL,
                last_received_at BIGINT NOT NULL,
                receive_count INTEGER NOT NULL,
                severity INTEGER NOT NULL,
                incident_id BIGINT REFERENCES incident(id),
                silenced_by BIGINT REFERENCES silence(id)
            );
            CREATE UNIQUE INDEX alert_open_by_key ON alert(dedup_key) WHERE status = 'firing';
            CREATE INDEX alert_resolved_by_key ON alert(dedup_key, starts_at) WHERE status = 'resolved';
            CREATE INDEX alert_by_incident ON alert(incident_id);
            CREATE INDEX alert_by_silence ON alert(silenced_by) WHERE silenced_by IS NOT NULL;
            CREATE TABLE event (
                incident_id BIGINT NOT NULL REFERENCES incident(id),
                seq INTEGER NOT NULL,
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                detail TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (incident_id, seq)
            );
            CREATE TABLE timer (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                incident_id BIGINT,
                alert_id BIGINT,
                step INTEGER,
                pass INTEGER NOT NULL DEFAULT 0,
                subject TEXT,
                silence_id BIGINT,
                heartbeat TEXT
            );
            CREATE INDEX timer_by_due ON timer(due_at);
            CREATE INDEX timer_by_incident ON timer(incident_id, kind);
            CREATE INDEX timer_by_alert ON timer(alert_id) WHERE alert_id IS NOT NULL;
            CREATE TABLE escalation (
                incident_id BIGINT PRIMARY KEY REFERENCES incident(id),
                pass INTEGER NOT NULL,
                pass_reason TEXT NOT NULL,
                epoch_at BIGINT NOT NULL,
                repeats_done INTEGER NOT NULL,
                step INTEGER NOT NULL,
                awaiting TEXT NOT NULL
            );
            CREATE TABLE page (
                id BIGSERIAL PRIMARY KEY,
                incident_id BIGINT NOT NULL REFERENCES incident(id),
                idempotency_key TEXT NOT NULL UNIQUE,
                person TEXT NOT NULL,
                channel TEXT NOT NULL,
                url TEXT NOT NULL,
                body BYTEA NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                audience TEXT NOT NULL DEFAULT 'internal',
                pass INTEGER NOT NULL DEFAULT 0,
                step INTEGER,
                kind TEXT NOT NULL DEFAULT 'page',
                flavour TEXT NOT NULL DEFAULT 'json',
                url_template TEXT,
                message TEXT,
                content_type TEXT NOT NULL DEFAULT 'application/json',
                bundle_id BIGINT REFERENCES page(id),
                sent_at BIGINT,
                claimed_by TEXT,
                lease_until BIGINT
            );
            CREATE INDEX page_pending ON page(next_attempt_at) WHERE status = 'pending';
            CREATE INDEX page_by_step ON page(incident_id, pass, step);
            CREATE INDEX page_by_bundle ON page(bundle_id) WHERE bundle_id IS NOT NULL;
            CREATE TABLE destination_send (
                destination TEXT NOT NULL,
                at BIGINT NOT NULL
            );
            CREATE INDEX destination_send_by_time ON destination_send(destination, at);
            CREATE TABLE heartbeat (
                name TEXT PRIMARY KEY,
                interval_ms BIGINT NOT NULL,
                service TEXT NOT NULL,
                summary TEXT NOT NULL,
                labels TEXT NOT NULL,
                declared_at BIGINT NOT NULL,
                last_check_in_at BIGINT,
                check_ins INTEGER NOT NULL DEFAULT 0
            );
            """),
        // What Tocsin did about itself: its fallback alarm's messages (`SystemEvent`).
        ("system-events", """
            CREATE TABLE system_event (
                id BIGSERIAL PRIMARY KEY,
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL
            );
            """),
        // Roster changes made while Tocsin runs (overrides, stand-ins, swaps), each the change
        // as the API shows it, read back whole.
        ("roster-changes", """
            CREATE TABLE roster_change (
                id BIGSERIAL PRIMARY KEY,
                status TEXT NOT NULL,
                starts_at BIGINT NOT NULL,
                ends_at BIGINT NOT NULL,
                body TEXT NOT NULL
            );
            CREATE INDEX roster_change_by_end ON roster_change(ends_at);
            """),
        // Drills: incidents that rehearse the procedure, kept out of the response figures.
        ("drill-v1", "ALTER TABLE incident ADD COLUMN drill BOOLEAN NOT NULL DEFAULT false"),
        // The anchors of archived incidents (`ArchivedIncident`).
        ("retention", """
            CREATE TABLE archived_incident (
                incident_id BIGINT PRIMARY KEY,
                closed_at BIGINT NOT NULL,
                archived_at BIGINT NOT NULL,
                events INTEGER NOT NULL,
                last_hash TEXT NOT NULL,
                file TEXT NOT NULL
            );
            """),
        // Shift handovers, each as the API shows it, read back whole; pages that belong to no
        // incident (a shift's start, an unacknowledged handover).
        ("handovers", """
            CREATE TABLE handover (
                id BIGSERIAL PRIMARY KEY,
                role TEXT NOT NULL,
                shift_change_at BIGINT NOT NULL,
                acknowledged_at BIGINT,
                body TEXT NOT NULL
            );
            CREATE UNIQUE INDEX handover_by_shift ON handover(role, shift_change_at);
            ALTER TABLE page ALTER COLUMN incident_id DROP NOT NULL;
            """),
        // The people a drill's script keeps silent, comma-separated.
        ("drill-v2", "ALTER TABLE incident ADD COLUMN drill_silent TEXT NOT NULL DEFAULT ''"),
    ]
}

extension PostgresSchema {
    /// Applies the migrations not yet applied, in one transaction under an advisory lock, so
    /// that instances starting together migrate once.
    static func migrate(_ connections: PostgresConnections, now: Int64) throws {
        try connections.transaction { session in
            try session.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
            try session.execute("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let applied = Set(try session.rows("SELECT name FROM schema_migration").map { try $0[0].decoded(String.self) })
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.sql.split(separator: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                    try session.execute(PostgresStatement(stringLiteral: String(statement)))
                }
                try session.execute("INSERT INTO schema_migration (name, applied_at) VALUES (\(migration.name), \(now))")
            }
        }
    }

    /// The advisory lock that migrations take: "tocsin" in ASCII.
    static let lockKey: Int64 = 0x746f_6373_696e
}
