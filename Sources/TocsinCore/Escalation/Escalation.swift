import Foundation

/// What an incident's escalation policy pages and schedules: when paging starts, and when
/// each step comes due. Times are a step's due time, not the moment it ran, so a late
/// wake-up never shifts the schedule.
public enum Escalation {
    /// Paging starts at `start` (the incident opened, or the silence that held it ended).
    /// A first step without delay pages at once, in the same transaction; otherwise step 0
    /// becomes a timer. A start after earlier paging (`previousPass`) is a new pass, so its
    /// pages get keys of their own.
    public static func start(_ incident: Incident, previousPass: Int?, at start: Date, rules: ResponseRules) -> [RecordChange] {
        let state = EscalationState(incidentID: incident.id, pass: previousPass.map { $0 + 1 } ?? 0,
                                    passReason: previousPass == nil ? "open" : "restart", epoch: start, repeatsDone: 0, step: -1, awaiting: [])
        if incident.policy.steps.first?.delay == .zero {
            return fire(step: 0, pass: state.pass, dueAt: start, incident: incident, state: state, rules: rules)
        }
        return [.escalation(state),
                .timer(TimerRequest(.escalation, dueAt: state.due(ofStep: 0, in: incident.policy), incidentID: incident.id, step: 0, pass: state.pass))]
    }

    /// Step `step` of pass `pass` comes due: pages the people its targets resolve to at
    /// `dueAt` and schedules what comes next. Nothing, if the incident was acknowledged or the
    /// pass is over.
    public static func fire(step: Int, pass: Int, dueAt: Date, incident: Incident, state: EscalationState, rules: ResponseRules) -> [RecordChange] {
        let policy = incident.policy
        guard incident.acknowledgedAt == nil, pass == state.pass, step < policy.steps.count else { return [] }
        let incidentID = incident.id
        var state = state
        var changes: [RecordChange] = []
        let escalationStep = policy.steps[step]
        let targets = escalationStep.targets.map(\.description).joined(separator: ", ")
        if step > 0 {
            changes.append(.event(TimelineEntry(.escalated, incident: incidentID, at: dueAt,
                                                detail: ["step": "\(step)", "level": "\(step + 1)", "pass": "\(pass)", "targets": targets,
                                                         "reason": "not acknowledged"])))
        } else if pass > 0 {
            let reasons = ["ack_timeout": "the acknowledgement timed out and the incident is not resolved",
                           "restart": "paging started again after a silence ended"]
            let reason = reasons[state.passReason] ?? "the last step passed unacknowledged"
            changes.append(.event(TimelineEntry(.escalationRepeated, incident: incidentID, at: dueAt,
                                                detail: ["pass": "\(pass)", "targets": targets, "reason": reason])))
        }
        var paged: [String] = []
        var seen = Set<String>()
        for target in escalationStep.targets {
            for person in rules.roster.people(for: target, at: dueAt) where seen.insert(person.id).inserted {
                guard person.isReachable else {
                    changes.append(.event(TimelineEntry(.passedOver, incident: incidentID, at: dueAt,
                                                        detail: ["person": person.id, "step": "\(step)", "reason": "no working contact method"])))
                    continue
                }
                changes += PageDrafts.pages(to: person, incident: incident, step: step, keyPrefix: state.keyPrefix(step: step), pass: pass,
                                            reason: .escalation, rules: rules, at: dueAt)
                paged.append(person.id)
            }
        }
        if seen.isEmpty {
            changes.append(.event(TimelineEntry(.pageFailed, incident: incidentID, at: dueAt,
                                                detail: ["step": "\(step)", "error": "no person holds the step's targets at this time: \(targets)"])))
        }
        state.step = step
        state.awaiting = escalationStep.everyoneMustAcknowledge && paged.count > 1 ? paged : []
        // Nobody this step could reach: the next step comes at once rather than after its delay.
        let next = nextTimer(after: step, state: &state, policy: policy, dueAt: dueAt, immediately: paged.isEmpty)
        changes.append(.escalation(state))
        if let next { changes.append(.timer(next)) }
        return changes
    }

    /// The step after `step`, or the first step of the next pass when the policy repeats.
    private static func nextTimer(after step: Int, state: inout EscalationState, policy: EscalationPolicy, dueAt: Date, immediately: Bool) -> TimerRequest? {
        if step + 1 < policy.steps.count {
            let due = immediately ? dueAt : state.due(ofStep: step + 1, in: policy)
            return TimerRequest(.escalation, dueAt: due, incidentID: state.incidentID, step: step + 1, pass: state.pass)
        }
        guard state.repeatsDone < policy.repeatCount else { return nil }
        let start = immediately ? dueAt : dueAt.addingTimeInterval(policy.repeatAfter.seconds)
        state.beginPass("repeat", at: start, policy: policy)
        state.repeatsDone += 1
        return TimerRequest(.escalation, dueAt: start, incidentID: state.incidentID, step: 0, pass: state.pass)
    }
}
