import Foundation
import GRDB
import TocsinCore

/// What a timer row does when it comes due.
enum TimerKind: String {
    /// Page escalation step `step` of incident `incident_id` unless it is acknowledged.
    case escalation
    /// Re-classify alert `alert_id`, whose severity rises with how long it lasts.
    case severityReview = "severity_review"
    /// Remind the owner of update `subject` that it is due soon.
    case updateReminder = "update_reminder"
    /// Update `subject` is due now; if this fires, it was missed.
    case updateDue = "update_due"
    /// Update `subject` is still missing after the grace: tell leadership.
    case updateEscalation = "update_escalation"
    /// A procedure deadline (`subject`) has passed.
    case deadline
    /// Silence `silence_id` ends: incidents it held that still fire start paging.
    case silenceEnd = "silence_end"
    /// Heartbeat `heartbeat` was not checked in on time: raise its alert.
    case heartbeatMissed = "heartbeat_missed"
}

extension IncidentStore {
    /// Fires every timer due at or before `now`, each in its own transaction, oldest first.
    /// Returns how many fired.
    @discardableResult
    public func fireDueTimers(rules: ResponseRules, now: Date) throws -> Int {
        var fired = 0
        while try database.write({ db in try Self.fireNextTimer(rules: rules, now: now, in: db) }) {
            fired += 1
        }
        return fired
    }

    private static func fireNextTimer(rules: ResponseRules, now: Date, in db: Database) throws -> Bool {
        guard let timer = try Row.fetchOne(db, sql: "SELECT * FROM timer WHERE due_at <= ? ORDER BY due_at, id LIMIT 1", arguments: [now.millis]) else {
            return false
        }
        try db.execute(sql: "DELETE FROM timer WHERE id = ?", arguments: [timer["id"] as Int64])
        let dueAt = Date(millis: timer["due_at"])
        switch TimerKind(rawValue: timer["kind"]) {
        case .escalation:
            try escalate(incidentID: timer["incident_id"], step: timer["step"], dueAt: dueAt, rules: rules, in: db)
        case .severityReview:
            try reviewSeverity(alertID: timer["alert_id"], rules: rules, now: now, in: db)
        case .updateReminder, .updateDue, .updateEscalation, .deadline:
            try Clocks.fire(TimerKind(rawValue: timer["kind"])!, subject: timer["subject"] ?? "", incidentID: timer["incident_id"], dueAt: dueAt, rules: rules, in: db)
        case .silenceEnd:
            try endSilence(timer["silence_id"], at: now, rules: rules, in: db)
        case .heartbeatMissed:
            try missHeartbeat(timer["heartbeat"], deadline: dueAt, rules: rules, now: now, in: db)
        case nil:
            break
        }
        return true
    }

    static func scheduleEscalation(step: Int, incidentID: Int64, openedAt: Date, policy: EscalationPolicy, in db: Database) throws {
        guard step < policy.steps.count else { return }
        let due = openedAt.addingTimeInterval(policy.offset(ofStep: step).seconds)
        try db.execute(sql: "INSERT INTO timer (kind, due_at, incident_id, step) VALUES (?, ?, ?, ?)",
                       arguments: [TimerKind.escalation.rawValue, due.millis, incidentID, step])
    }

    /// Queues the pages of one escalation step and schedules the next step. Times are the
    /// step's due time, not the moment it ran, so a late wake-up never shifts the schedule.
    static func escalate(incidentID: Int64, step: Int, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        let incident = try incident(incidentID, in: db)
        guard incident.acknowledgedAt == nil, step < incident.policy.steps.count else { return }
        let escalationStep = incident.policy.steps[step]
        if step > 0 {
            try Timeline.append(.escalated, incident: incidentID, actor: "tocsin", at: dueAt,
                                detail: ["step": "\(step)", "targets": escalationStep.targets.map(\.description).joined(separator: ", "),
                                         "reason": "not acknowledged"], in: db)
        }
        var paged = Set<String>()
        for target in escalationStep.targets {
            for person in rules.roster.people(for: target) where paged.insert(person.id).inserted {
                try queuePages(to: person, incident: incident, step: step, rules: rules, at: dueAt, in: db)
            }
        }
        if paged.isEmpty {
            try Timeline.append(.pageFailed, incident: incidentID, actor: "tocsin", at: dueAt,
                                detail: ["step": "\(step)", "error": "no person holds the step's targets: \(escalationStep.targets.map(\.description).joined(separator: ", "))"], in: db)
        }
        // The schedule counts from when paging began: the opening, or the end of a silence that held the incident.
        let pagingBegan = dueAt.addingTimeInterval(-incident.policy.offset(ofStep: step).seconds)
        try scheduleEscalation(step: step + 1, incidentID: incidentID, openedAt: pagingBegan, policy: incident.policy, in: db)
    }

    private static func queuePages(to person: Person, incident: Incident, step: Int, rules: ResponseRules, at: Date, in db: Database) throws {
        let link = rules.ackLinks.sign(incidentID: incident.id, personID: person.id, now: at).url(baseURL: rules.publicURL)
        let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
        let message = PageMessage(
            incidentID: incident.id, severity: incident.severity, summary: incident.title, service: incident.service,
            stage: incident.stage, step: step, person: person.id,
            runbook: runbook.map { RunbookReference(id: $0.id, title: $0.title, preAuthorized: $0.preAuthorized) },
            acknowledgeURL: link
        )
        let body = try JSONEncoder().encode(message)
        for method in person.contactMethods {
            let key = "incident-\(incident.id)/step-\(step)/\(person.id)/\(method.channel)"
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                    """,
                arguments: [incident.id, key, person.id, method.channel, method.webhookURL, body, at.millis, at.millis]
            )
            try Timeline.append(.pageQueued, incident: incident.id, actor: "tocsin", at: at,
                                detail: ["person": person.id, "channel": method.channel, "step": "\(step)", "idempotency_key": key], in: db)
        }
    }

    private static func reviewSeverity(alertID: Int64, rules: ResponseRules, now: Date, in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM alert WHERE id = ? AND status = 'firing'", arguments: [alertID]) else { return }
        let report = try AlertReport(row: row)
        let severity = max(Severity(clamping: row["severity"]), rules.severity.severity(of: report, at: now))
        try db.execute(sql: "UPDATE alert SET severity = ? WHERE id = ?", arguments: [severity.rawValue, alertID])
        _ = try classify(alertID: alertID, report: report, severity: severity, incidentID: row["incident_id"], rules: rules, now: now, in: db)
    }
}
