import Foundation
import PostgresNIO
import TocsinCore

/// Writes the core's decisions into PostgreSQL, in order, inside the caller's transaction:
/// the same changes `RecordWriter` writes into SQLite.
enum PostgresRecordWriter {
    static func write(_ changes: [RecordChange], in session: PostgresSession) throws {
        // The last event appended to each incident here: what a notice that follows is about.
        var causes: [Int64: Int] = [:]
        // The earliest moment anything written here falls due, told to the other instances.
        var newWork: Date?
        func due(_ at: Date) { newWork = min(newWork ?? at, at) }
        // Timers requested one after another (one per alert of a batch) go in one statement.
        var timers: [TimerRequest] = []
        func insertTimers() throws {
            guard !timers.isEmpty else { return }
            try insert(timers, in: session)
            timers.removeAll()
        }
        for change in changes {
            if case .timer(let timer) = change {
                due(timer.dueAt)
                session.wroteTimer(dueAt: timer.dueAt)
                timers.append(timer)
                continue
            }
            try insertTimers()
            switch change {
            case .event(let entry):
                causes[entry.incidentID] = try PostgresTimeline.append(entry, in: session)
            case .page(let page, let queued):
                session.commitClaim?.queue(page)
                let lease = session.leaseAtInsert.flatMap { $0.covers(page) ? $0 : nil }
                // A page the commit may lease is told to the others by its claim, which knows
                // when they may take it.
                if lease == nil, session.commitClaim?.mayLease(page) != true {
                    due(page.sendAt)
                    session.wrotePage(dueAt: page.sendAt)
                }
                try insert(page, leasedBy: lease, in: session)
                try PostgresTimeline.append(queued, in: session)
            case .notice(let notice):
                try write(notice.changes(cause: causes[notice.incident.id] ?? 0), in: session)
            case .timer:
                break
            case .cancelTimers(let selection):
                try cancel(selection, in: session)
            case .moveTimer(let id, let at):
                due(at)
                session.wroteTimer(dueAt: at)
                try session.write("UPDATE timer SET due_at = \(at.millis) WHERE id = \(id)")
            case .postponeTimers(let incident, let kind, let due):
                try session.write("UPDATE timer SET due_at = \(due.millis) WHERE incident_id = \(incident) AND kind = \(kind.rawValue)", incident: incident)
            case .escalation(let state):
                try session.write("""
                    INSERT INTO escalation (incident_id, pass, pass_reason, epoch_at, repeats_done, step, awaiting)
                    VALUES (\(state.incidentID), \(state.pass), \(state.passReason), \(state.epoch.millis), \(state.repeatsDone), \(state.step),
                            \(JSONText.encode(state.awaiting)))
                    ON CONFLICT (incident_id) DO UPDATE SET pass = excluded.pass, pass_reason = excluded.pass_reason, epoch_at = excluded.epoch_at,
                        repeats_done = excluded.repeats_done, step = excluded.step, awaiting = excluded.awaiting
                    """, incident: state.incidentID)
            case .acknowledgement(let incident, let at, let by):
                try session.write("UPDATE incident SET acknowledged_at = \(at?.millis), acknowledged_by = \(by) WHERE id = \(incident)", incident: incident)
            case .cancelUnsentPages(let incident):
                try session.write("UPDATE page SET status = 'cancelled' WHERE incident_id = \(incident) AND status = 'pending' AND kind = 'page'",
                                  incident: incident)
            case .severity(let incident, let severity):
                try session.write("UPDATE incident SET severity = \(severity.rawValue) WHERE id = \(incident)", incident: incident)
            case .silenceAlerts(let incident, let silence):
                try session.write("UPDATE alert SET silenced_by = \(silence) WHERE incident_id = \(incident) AND status = 'firing'", incident: incident)
            case .systemEvent(let event):
                try PostgresTimeline.append(event, in: session)
            case .drillSilent(let incident, let person):
                try session.write("""
                    UPDATE incident SET drill_silent = CASE drill_silent WHEN '' THEN \(person) ELSE drill_silent || ',' || \(person) END WHERE id = \(incident)
                    """, incident: incident)
                try session.write("UPDATE page SET status = 'cancelled' WHERE incident_id = \(incident) AND person = \(person) AND status = 'pending'", incident: incident)
            }
        }
        try insertTimers()
        // Delivered to the listening instances when the transaction commits.
        if let newWork { session.notify(PostgresIncidentStore.workChannel, dueAt: newWork) }
    }

    private static func insert(_ timers: [TimerRequest], in session: PostgresSession) throws {
        for start in stride(from: 0, to: timers.count, by: 1000) {
            var rows = PostgresWrite.StringInterpolation(literalCapacity: 0, interpolationCount: 0)
            rows.appendLiteral("INSERT INTO timer (kind, due_at, incident_id, alert_id, silence_id, step, pass, subject, heartbeat) VALUES ")
            let chunk = timers[start..<min(timers.count, start + 1000)]
            for (index, timer) in chunk.enumerated() {
                rows.appendLiteral(index == 0 ? "(" : ", (")
                rows.appendInterpolation(timer.kind.rawValue)
                for value in [timer.dueAt.millis, timer.incidentID, timer.alertID, timer.silenceID] as [Int64?] {
                    rows.appendLiteral(", ")
                    rows.appendInterpolation(value)
                }
                for value in [timer.step, timer.pass] as [Int?] {
                    rows.appendLiteral(", ")
                    rows.appendInterpolation(value)
                }
                for value in [timer.subject, timer.heartbeat] as [String?] {
                    rows.appendLiteral(", ")
                    rows.appendInterpolation(value)
                }
                rows.appendLiteral(")")
            }
            var write = PostgresWrite(stringInterpolation: rows)
            let incidents = chunk.map(\.incidentID)
            write.incidents = incidents.contains(nil) ? nil : Set(incidents.compactMap { $0 })
            try session.write(write)
        }
    }

    private static func insert(_ page: PageRequest, leasedBy lease: PageLease?, in session: PostgresSession) throws {
        guard page.incidentID != PageRequest.noIncident else {
            return try session.write("""
                INSERT INTO page (idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                                  pass, step, kind, flavour, url_template, message, content_type, audience)
                VALUES (\(page.idempotencyKey), \(page.person), \(page.channel), \(page.url), \(ByteBuffer(bytes: page.body)), 'pending',
                        \(page.sendAt.millis), \(page.createdAt.millis), \(page.pass), \(page.step), \(page.kind.rawValue), \(page.flavour.rawValue),
                        \(page.urlTemplate), \(page.message), \(page.contentType), \(page.audience))
                ON CONFLICT (idempotency_key) DO NOTHING
                """)
        }
        // Leased at insert, its next attempt is at the lease's end, as a claim would set it.
        try session.write("""
            INSERT INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                              pass, step, kind, flavour, url_template, message, content_type, audience, claimed_by, lease_until)
            VALUES (\(page.incidentID), \(page.idempotencyKey), \(page.person), \(page.channel), \(page.url), \(ByteBuffer(bytes: page.body)), 'pending',
                    \(max(page.sendAt, lease?.until ?? page.sendAt).millis), \(page.createdAt.millis), \(page.pass), \(page.step), \(page.kind.rawValue),
                    \(page.flavour.rawValue), \(page.urlTemplate), \(page.message), \(page.contentType), \(page.audience), \(lease?.instance),
                    \(lease?.until.millis))
            ON CONFLICT (idempotency_key) DO NOTHING
            """, incident: page.incidentID)
    }

    private static func cancel(_ selection: TimerSelection, in session: PostgresSession) throws {
        switch selection {
        case .incident(let incident, let kinds):
            try session.write("DELETE FROM timer WHERE incident_id = \(incident) AND kind = ANY(\(kinds.map(\.rawValue)))", incident: incident)
        case .subject(let subject, let incident, let kinds):
            try session.write("DELETE FROM timer WHERE incident_id = \(incident) AND subject = \(subject) AND kind = ANY(\(kinds.map(\.rawValue)))",
                              incident: incident)
        case .everyTimer(let incident):
            try session.write("DELETE FROM timer WHERE incident_id = \(incident)", incident: incident)
        case .everyTimerButReports(let incident):
            try session.write("DELETE FROM timer WHERE incident_id = \(incident) AND (subject IS NULL OR subject NOT LIKE \(RegulatoryRegime.subjectPrefix + "%"))",
                              incident: incident)
        case .severityReview(let alert):
            try session.write("DELETE FROM timer WHERE kind = \(TimerKind.severityReview.rawValue) AND alert_id = \(alert)")
        case .heartbeat(let name):
            try session.write("DELETE FROM timer WHERE kind = \(TimerKind.heartbeatMissed.rawValue) AND heartbeat = \(name)")
        case .silenceEnd(let silence):
            try session.write("DELETE FROM timer WHERE kind = \(TimerKind.silenceEnd.rawValue) AND silence_id = \(silence)")
        case .handover(let id):
            try session.write("DELETE FROM timer WHERE kind = \(TimerKind.handoverMissed.rawValue) AND subject = \("\(id)")")
        case .shiftStarts:
            try session.write("DELETE FROM timer WHERE kind = \(TimerKind.shiftStart.rawValue)")
        }
    }
}
