import Foundation
import GRDB
import TocsinCore

extension IncidentStore {
    /// Starts an incident's escalation at `start`: when it opens, or when the silence that held
    /// it ends. A first step without delay pages within this transaction, so the commit that
    /// accepts the alert also holds its first page; otherwise step 0 becomes a timer row.
    /// Later steps count from `start`. A restart after earlier paging is a new pass, so its
    /// pages get keys of their own.
    static func startPaging(_ incident: Incident, at start: Date, rules: ResponseRules, in db: Database) throws {
        let incidentID = incident.id, policy = incident.policy
        let earlier = try Int.fetchOne(db.cachedStatement(sql: "SELECT pass FROM escalation WHERE incident_id = ?"), arguments: [incidentID])
        let state = EscalationState(incidentID: incidentID, pass: earlier.map { $0 + 1 } ?? 0, passReason: earlier == nil ? "open" : "restart",
                                    epoch: start, repeatsDone: 0, step: -1, awaiting: [])
        try state.save(in: db)
        if policy.steps.first?.delay == .zero {
            try escalate(incident, step: 0, pass: state.pass, dueAt: start, rules: rules, in: db)
        } else {
            try insertTimer(.escalation, due: state.due(ofStep: 0, in: policy), incidentID: incidentID, step: 0, pass: state.pass, in: db)
        }
    }

    /// Fires one step: pages the people its targets resolve to at the step's due time, and
    /// schedules what comes next. Times are the step's due time, not the moment it ran, so a
    /// late wake-up never shifts the schedule.
    static func escalate(incidentID: Int64, step: Int, pass: Int, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        try escalate(try incident(incidentID, in: db), step: step, pass: pass, dueAt: dueAt, rules: rules, in: db)
    }

    /// `escalate(incidentID:…)` for an incident in hand, such as one just opened.
    static func escalate(_ incident: Incident, step: Int, pass: Int, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        let incidentID = incident.id
        var state = try EscalationState.load(incident, in: db)
        guard incident.acknowledgedAt == nil, pass == state.pass, step < incident.policy.steps.count else { return }
        let policy = incident.policy
        let escalationStep = policy.steps[step]
        let targets = escalationStep.targets.map(\.description).joined(separator: ", ")
        if step > 0 {
            try Timeline.append(.escalated, incident: incidentID, actor: "tocsin", at: dueAt,
                                detail: ["step": "\(step)", "level": "\(step + 1)", "pass": "\(pass)", "targets": targets,
                                         "reason": "not acknowledged"], in: db)
        } else if pass > 0 {
            let reasons = ["ack_timeout": "the acknowledgement timed out and the incident is not resolved",
                           "restart": "paging started again after a silence ended"]
            let reason = reasons[state.passReason] ?? "the last step passed unacknowledged"
            try Timeline.append(.escalationRepeated, incident: incidentID, actor: "tocsin", at: dueAt,
                                detail: ["pass": "\(pass)", "targets": targets, "reason": reason], in: db)
        }
        var paged: [String] = []
        var seen = Set<String>()
        for target in escalationStep.targets {
            for person in rules.roster.people(for: target, at: dueAt) where seen.insert(person.id).inserted {
                guard person.isReachable else {
                    try Timeline.append(.passedOver, incident: incidentID, actor: "tocsin", at: dueAt,
                                        detail: ["person": person.id, "step": "\(step)", "reason": "no working contact method"], in: db)
                    continue
                }
                try queuePages(to: person, incident: incident, step: step, keyPrefix: state.keyPrefix(step: step), pass: pass,
                               reason: .escalation, rules: rules, at: dueAt, in: db)
                paged.append(person.id)
            }
        }
        if seen.isEmpty {
            try Timeline.append(.pageFailed, incident: incidentID, actor: "tocsin", at: dueAt,
                                detail: ["step": "\(step)", "error": "no person holds the step's targets at this time: \(targets)"], in: db)
        }
        state.step = step
        state.awaiting = escalationStep.everyoneMustAcknowledge && paged.count > 1 ? paged : []
        try state.save(in: db)
        // Nobody this step could reach: the next step comes at once rather than after its delay.
        try scheduleNext(after: step, state: &state, policy: policy, dueAt: dueAt, immediately: paged.isEmpty, in: db)
    }

    /// Schedules the step after `step`, or the next pass when the policy repeats.
    private static func scheduleNext(after step: Int, state: inout EscalationState, policy: EscalationPolicy, dueAt: Date, immediately: Bool, in db: Database) throws {
        if step + 1 < policy.steps.count {
            let due = immediately ? dueAt : state.due(ofStep: step + 1, in: policy)
            try insertTimer(.escalation, due: due, incidentID: state.incidentID, step: step + 1, pass: state.pass, in: db)
        } else if state.repeatsDone < policy.repeatCount {
            let start = immediately ? dueAt : dueAt.addingTimeInterval(policy.repeatAfter.seconds)
            state.pass += 1
            state.passReason = "repeat"
            state.repeatsDone += 1
            state.epoch = start.addingTimeInterval(-policy.offset(ofStep: 0).seconds)
            state.step = -1
            state.awaiting = []
            try state.save(in: db)
            try insertTimer(.escalation, due: start, incidentID: state.incidentID, step: 0, pass: state.pass, in: db)
        }
    }

    /// An acknowledgement ran out before the incident was resolved: say so, tell the
    /// acknowledger, and page again from the first step.
    static func acknowledgementTimedOut(incidentID: Int64, pass: Int, dueAt: Date, rules: ResponseRules, in db: Database) throws {
        let incident = try incident(incidentID, in: db)
        var state = try EscalationState.load(incident, in: db)
        guard let acknowledgedAt = incident.acknowledgedAt, pass == state.pass, try isUnresolved(incident, in: db) else { return }
        let acknowledger = incident.acknowledgedBy ?? "?"
        try Timeline.append(.acknowledgementTimedOut, incident: incidentID, actor: "tocsin", at: dueAt,
                            detail: ["acknowledged_by": acknowledger, "acknowledged_at": UTCTime.string(acknowledgedAt),
                                     "timeout_s": String(format: "%.0f", dueAt.timeIntervalSince(acknowledgedAt))], in: db)
        try db.cachedStatement(sql: "UPDATE incident SET acknowledged_at = NULL, acknowledged_by = NULL WHERE id = ?").execute(arguments: [incidentID])
        state.pass += 1
        state.passReason = "ack_timeout"
        state.repeatsDone = 0
        state.epoch = dueAt.addingTimeInterval(-incident.policy.offset(ofStep: 0).seconds)
        state.step = -1
        state.awaiting = []
        try state.save(in: db)
        if let person = rules.roster.people[acknowledger], person.isReachable {
            var unacknowledged = incident
            unacknowledged.acknowledgedAt = nil
            try queuePages(to: person, incident: unacknowledged, step: 0, keyPrefix: "incident-\(incidentID)/pass-\(state.pass)/ack-timeout",
                           pass: state.pass, reason: .acknowledgementTimedOut, rules: rules, at: dueAt, in: db)
        }
        try insertTimer(.escalation, due: dueAt, incidentID: incidentID, step: 0, pass: state.pass, in: db)
    }

    /// Still needs someone: an alert still fires and the incident is not closed.
    static func isUnresolved(_ incident: Incident, in db: Database) throws -> Bool {
        guard incident.stage != .closed else { return false }
        let firing = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM alert WHERE incident_id = ? AND status = 'firing'"), arguments: [incident.id]) ?? 0
        return firing > 0
    }

    /// Queues one page per working contact method of `person`, each after its own delay.
    static func queuePages(to person: Person, incident: Incident, step: Int, keyPrefix: String, pass: Int, reason: PageReason,
                           rules: ResponseRules, at: Date, in db: Database) throws {
        let link = rules.ackLinks.sign(incidentID: incident.id, personID: person.id, now: at).url(baseURL: rules.publicURL)
        let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
        let message = PageMessage(
            incidentID: incident.id, severity: incident.severity, summary: incident.title, service: incident.service,
            stage: incident.stage, step: step, person: person.id,
            runbook: runbook.map { RunbookReference(id: $0.id, title: $0.title, preAuthorized: $0.preAuthorized) },
            acknowledgeURL: link, reason: reason
        )
        let messageJSON = JSONText.encode(message)
        for method in person.contactMethods where method.problem == nil {
            let key = "\(keyPrefix)/\(person.id)/\(method.channel)"
            let rendered = PageRendering.request(json: Data(messageJSON.utf8), text: message.text, to: method)
            let sendAt = at.addingTimeInterval(method.delay.seconds)
            try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                                                pass, step, kind, flavour, url_template, message, content_type, audience)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [incident.id, key, person.id, method.channel, rendered.url, rendered.body, sendAt.millis, at.millis,
                            pass, step, reason == .escalation ? "page" : "notice", method.flavour.rawValue, method.webhookURL, messageJSON, rendered.contentType,
                            person.isExternal ? "external" : "internal"]
            )
            var detail = ["person": person.id, "channel": method.channel, "step": "\(step)", "idempotency_key": key]
            if method.delay > .zero { detail["send_at"] = UTCTime.string(sendAt) }
            if reason != .escalation { detail["reason"] = reason.rawValue }
            try Timeline.append(.pageQueued, incident: incident.id, actor: "tocsin", at: at, detail: detail, in: db)
        }
    }

    /// Called after a failed attempt of a page of step `step`: when every contact method of
    /// every person that step paged has failed, nobody there can answer, so the next step
    /// is brought forward to now.
    static func passOverIfUnreachable(incidentID: Int64, pass: Int, step: Int, now: Date, in db: Database) throws {
        let incident = try incident(incidentID, in: db)
        let state = try EscalationState.load(incident, in: db)
        guard incident.acknowledgedAt == nil, state.pass == pass, state.step == step else { return }
        let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT person, status, attempts FROM page WHERE incident_id = ? AND pass = ? AND step = ? AND kind = 'page'"),
                                    arguments: [incidentID, pass, step])
        guard !rows.isEmpty else { return }
        let everyAttemptFailed = rows.allSatisfy { row in
            let status: String = row["status"]
            return (row["attempts"] as Int) > 0 && (status == "pending" || status == "failed")
        }
        guard everyAttemptFailed,
              let next = try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, due_at FROM timer WHERE kind = ? AND incident_id = ? ORDER BY due_at LIMIT 1"),
                                          arguments: [TimerKind.escalation.rawValue, incidentID]),
              (next["due_at"] as Int64) > now.millis else { return }
        try db.cachedStatement(sql: "UPDATE timer SET due_at = ? WHERE id = ?").execute(arguments: [now.millis, next["id"] as Int64])
        let people = Set(rows.map { $0["person"] as String }).sorted()
        try Timeline.append(.passedOver, incident: incidentID, actor: "tocsin", at: now,
                            detail: ["people": people.joined(separator: ", "), "step": "\(step)", "reason": "every contact method failed"], in: db)
    }
}
