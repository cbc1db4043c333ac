import Foundation

/// What an acknowledgement did.
public enum AcknowledgeOutcome: Sendable, Hashable {
    case acknowledged
    /// Someone had acknowledged already; this one is recorded and changes nothing else.
    case alreadyAcknowledged(by: String, at: Date)
    /// The step asked everyone it paged to acknowledge; these people still have to.
    case partiallyAcknowledged(waitingFor: [String])
}

/// What acknowledging an incident, and an acknowledgement running out, change.
public enum Acknowledgement {
    /// `person` acknowledges. Once the step's condition is met (anyone, or everyone it paged),
    /// the escalation stops, pages not yet sent are cancelled (`unsentPageKeys`), and the
    /// acknowledgement timeout starts if the incident is still `unresolved`.
    public static func acknowledge(_ incident: Incident, state: EscalationState, by person: String, via channel: String, now: Date,
                                   unsentPageKeys: [String], unresolved: Bool, cadencesRunning: Bool,
                                   rules: ProcedureRules) -> (AcknowledgeOutcome, [RecordChange]) {
        let id = incident.id
        if let at = incident.acknowledgedAt {
            let first = incident.acknowledgedBy ?? "?"
            return (.alreadyAcknowledged(by: first, at: at),
                    [.event(TimelineEntry(.acknowledgedAgain, incident: id, actor: person, at: now, detail: ["via": channel, "first_by": first]))])
        }
        var changes: [RecordChange] = []
        var state = state
        if !state.awaiting.isEmpty {
            state.awaiting.removeAll { $0 == person }
            changes.append(.escalation(state))
            if !state.awaiting.isEmpty {
                changes.append(.event(TimelineEntry(.acknowledgedPartially, incident: id, actor: person, at: now,
                                                    detail: ["via": channel, "step": "\(state.step)", "waiting_for": state.awaiting.joined(separator: ", ")])))
                return (.partiallyAcknowledged(waitingFor: state.awaiting), changes)
            }
        }
        changes.append(.acknowledgement(incident: id, at: now, by: person))
        changes.append(.event(TimelineEntry(.acknowledged, incident: id, actor: person, at: now, detail: ["via": channel])))
        changes.append(.cancelTimers(.incident(id, kinds: [.escalation, .acknowledgementTimeout])))
        // Notices (an earlier acknowledgement timing out) still go: they tell the person what happened.
        changes.append(.cancelUnsentPages(incident: id))
        for key in unsentPageKeys {
            changes.append(.event(TimelineEntry(.pageCancelled, incident: id, at: now, detail: ["idempotency_key": key, "reason": "acknowledged"])))
        }
        if let timeout = incident.policy.ackTimeout, unresolved {
            changes.append(.timer(TimerRequest(.acknowledgementTimeout, dueAt: now.addingTimeInterval(timeout.seconds), incidentID: id, pass: state.pass)))
        }
        if incident.stage != .closed {
            changes += Clocks.startCadences(for: incident, at: now, running: cadencesRunning, rules: rules)
        }
        return (.acknowledged, changes)
    }

    /// The acknowledgement timer of pass `pass` came due while the incident is still
    /// `unresolved`: say so, tell the acknowledger, and page again from the first step.
    public static func timedOut(_ incident: Incident, state: EscalationState, pass: Int, dueAt: Date, unresolved: Bool,
                                rules: ResponseRules) -> [RecordChange] {
        guard let acknowledgedAt = incident.acknowledgedAt, pass == state.pass, unresolved else { return [] }
        let id = incident.id
        let acknowledger = incident.acknowledgedBy ?? "?"
        var state = state
        state.beginPass("ack_timeout", at: dueAt, policy: incident.policy)
        state.repeatsDone = 0
        var changes: [RecordChange] = [
            .event(TimelineEntry(.acknowledgementTimedOut, incident: id, at: dueAt,
                                 detail: ["acknowledged_by": acknowledger, "acknowledged_at": UTCTime.string(acknowledgedAt),
                                          "timeout_s": String(format: "%.0f", dueAt.timeIntervalSince(acknowledgedAt))])),
            .acknowledgement(incident: id, at: nil, by: nil),
            .escalation(state),
        ]
        if let person = rules.roster.people[acknowledger], person.isReachable {
            var unacknowledged = incident
            unacknowledged.acknowledgedAt = nil
            unacknowledged.acknowledgedBy = nil
            changes += PageDrafts.pages(to: person, incident: unacknowledged, step: 0, keyPrefix: "incident-\(id)/pass-\(state.pass)/ack-timeout",
                                        pass: state.pass, reason: .acknowledgementTimedOut, rules: rules, at: dueAt)
        }
        changes.append(.timer(TimerRequest(.escalation, dueAt: dueAt, incidentID: id, step: 0, pass: state.pass)))
        return changes
    }

    /// A page of step `step` failed: when every contact method of every person that step
    /// paged has failed (`attempts` of each page, by person), nobody there can answer, so the
    /// next step, pending as timer `nextStep`, is brought forward to now.
    public static func passOverIfUnreachable(_ incident: Incident, state: EscalationState, pass: Int, step: Int, pages: [StepPage],
                                             nextStep: (id: Int64, dueAt: Date)?, now: Date) -> [RecordChange] {
        guard incident.acknowledgedAt == nil, state.pass == pass, state.step == step, !pages.isEmpty,
              pages.allSatisfy({ $0.attempts > 0 && ($0.status == "pending" || $0.status == "failed") }),
              let nextStep, nextStep.dueAt > now else { return [] }
        let people = Set(pages.map(\.person)).sorted()
        return [.moveTimer(id: nextStep.id, to: now),
                .event(TimelineEntry(.passedOver, incident: incident.id, at: now,
                                     detail: ["people": people.joined(separator: ", "), "step": "\(step)", "reason": "every contact method failed"]))]
    }
}

/// A page an escalation step queued, as far as passing over its people is concerned.
public struct StepPage: Sendable, Hashable {
    public var person: String
    public var status: String
    public var attempts: Int

    public init(person: String, status: String, attempts: Int) {
        self.person = person
        self.status = status
        self.attempts = attempts
    }
}
