import Foundation
import GRDB
import TocsinCore

/// Writes the core's decisions into SQLite, in order, inside the caller's transaction.
enum RecordWriter {
    static func write(_ changes: [RecordChange], in db: Database) throws {
        // The last event appended to each incident here: what a notice that follows is about.
        var causes: [Int64: Int] = [:]
        for change in changes {
            switch change {
            case .event(let entry):
                causes[entry.incidentID] = try Timeline.append(entry, in: db)
            case .page(let page, let queued):
                try insert(page, in: db)
                try Timeline.append(queued, in: db)
            case .notice(let notice):
                try write(notice.changes(cause: causes[notice.incident.id] ?? 0), in: db)
            case .timer(let timer):
                try db.cachedStatement(sql: """
                    INSERT INTO timer (kind, due_at, incident_id, alert_id, step, pass, subject, silence_id, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [timer.kind.rawValue, timer.dueAt.millis, timer.incidentID, timer.alertID, timer.step, timer.pass,
                                             timer.subject, timer.silenceID, timer.heartbeat])
            case .cancelTimers(let selection):
                try cancel(selection, in: db)
            case .moveTimer(let id, let due):
                try db.cachedStatement(sql: "UPDATE timer SET due_at = ? WHERE id = ?").execute(arguments: [due.millis, id])
            case .postponeTimers(let incident, let kind, let due):
                try db.cachedStatement(sql: "UPDATE timer SET due_at = ? WHERE incident_id = ? AND kind = ?").execute(arguments: [due.millis, incident, kind.rawValue])
            case .escalation(let state):
                try state.save(in: db)
            case .acknowledgement(let incident, let at, let by):
                try db.cachedStatement(sql: "UPDATE incident SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?").execute(arguments: [at?.millis, by, incident])
            case .cancelUnsentPages(let incident):
                try db.cachedStatement(sql: "UPDATE page SET status = 'cancelled' WHERE incident_id = ? AND status = 'pending' AND kind = 'page'").execute(arguments: [incident])
            case .severity(let incident, let severity):
                try db.cachedStatement(sql: "UPDATE incident SET severity = ? WHERE id = ?").execute(arguments: [severity.rawValue, incident])
            case .silenceAlerts(let incident, let silence):
                try db.cachedStatement(sql: "UPDATE alert SET silenced_by = ? WHERE incident_id = ? AND status = 'firing'").execute(arguments: [silence, incident])
            case .systemEvent(let event):
                try Timeline.append(event, in: db)
            case .drillSilent(let incident, let person):
                try db.cachedStatement(sql: "UPDATE incident SET drill_silent = CASE drill_silent WHEN '' THEN ? ELSE drill_silent || ',' || ? END WHERE id = ?")
                    .execute(arguments: [person, person, incident])
                try db.cachedStatement(sql: "UPDATE page SET status = 'cancelled' WHERE incident_id = ? AND person = ? AND status = 'pending'")
                    .execute(arguments: [incident, person])
            }
        }
    }

    private static func insert(_ page: PageRequest, in db: Database) throws {
        try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                                            pass, step, kind, flavour, url_template, message, content_type, audience)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [page.incidentID == PageRequest.noIncident ? nil : page.incidentID, page.idempotencyKey, page.person, page.channel, page.url, page.body, page.sendAt.millis,
                                         page.createdAt.millis, page.pass, page.step, page.kind.rawValue, page.flavour.rawValue, page.urlTemplate,
                                         page.message, page.contentType, page.audience])
    }

    private static func cancel(_ selection: TimerSelection, in db: Database) throws {
        switch selection {
        case .incident(let incident, let kinds):
            for kind in kinds {
                try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ? AND incident_id = ?").execute(arguments: [kind.rawValue, incident])
            }
        case .subject(let subject, let incident, let kinds):
            for kind in kinds {
                try db.cachedStatement(sql: "DELETE FROM timer WHERE incident_id = ? AND kind = ? AND subject = ?").execute(arguments: [incident, kind.rawValue, subject])
            }
        case .everyTimer(let incident):
            try db.cachedStatement(sql: "DELETE FROM timer WHERE incident_id = ?").execute(arguments: [incident])
        case .everyTimerButReports(let incident):
            try db.cachedStatement(sql: "DELETE FROM timer WHERE incident_id = ? AND (subject IS NULL OR subject NOT LIKE ?)")
                .execute(arguments: [incident, RegulatoryRegime.subjectPrefix + "%"])
        case .severityReview(let alert):
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ? AND alert_id = ?").execute(arguments: [TimerKind.severityReview.rawValue, alert])
        case .heartbeat(let name):
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ? AND heartbeat = ?").execute(arguments: [TimerKind.heartbeatMissed.rawValue, name])
        case .silenceEnd(let silence):
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ? AND silence_id = ?").execute(arguments: [TimerKind.silenceEnd.rawValue, silence])
        case .handover(let id):
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ? AND subject = ?").execute(arguments: [TimerKind.handoverMissed.rawValue, "\(id)"])
        case .shiftStarts:
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind = ?").execute(arguments: [TimerKind.shiftStart.rawValue])
        }
    }
}
