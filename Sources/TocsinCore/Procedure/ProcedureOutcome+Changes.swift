import Foundation

extension ProcedureOutcome {
    /// What the command writes to `incident` (as it was before the command): its events, and
    /// the clocks and notices its effects set off. The new stage and record are written
    /// beside these.
    /// `cadencesRunning`: whether the incident's update cadences run already (it was taken).
    public func changes(to incident: Incident, by actor: String, rules: ResponseRules, now: Date, cadencesRunning: Bool) -> [RecordChange] {
        let takes = incident.stage == .reported && stage != .reported && stage != .closed
        var changes = events.map { RecordChange.event(TimelineEntry($0.kind, incident: incident.id, actor: $0.actor ?? actor, at: now, detail: $0.detail)) }
        var incident = incident
        incident.stage = stage
        let id = incident.id
        for effect in effects {
            switch effect {
            case .noticeStageChange(let from, let to, let mover):
                changes.append(.notice(NoticeRequest(
                    to: rules.procedure.stageNotices, alsoTo: [record.roles.commander, record.roles.coordinator, record.roles.businessLead].compactMap { $0 },
                    incident: incident, subject: "stage_changed", message: "Incident \(id) moved from \(from.rawValue) to \(to.rawValue) (by \(mover ?? actor)).",
                    roster: rules.roster, at: now)))
            case .startAssessmentDeadline(let due):
                changes.append(.timer(TimerRequest(.deadline, dueAt: due, incidentID: id, subject: Clocks.assessmentDeadline)))
            case .stopAssessmentDeadline:
                changes.append(.cancelTimers(.subject(Clocks.assessmentDeadline, incident: id, kinds: [.deadline])))
            case .restartCadence(let kind):
                changes.append(.cancelTimers(.subject(kind.rawValue, incident: id, kinds: [.updateReminder, .updateDue, .updateEscalation])))
                if let interval = rules.procedure.cadences(for: incident.severity)[kind] {
                    changes += Clocks.update(kind, dueAt: now.addingTimeInterval(interval.seconds), incident: id, rules: rules.procedure)
                }
            case .callTradeSwitch:
                break
            case .pageLoudly(let targets, let message):
                changes.append(.notice(NoticeRequest(to: targets, incident: incident, subject: "urgent", message: message, roster: rules.roster, at: now)))
            case .stopAllClocks:
                changes.append(.cancelTimers(.everyTimerButReports(incident: id)))
            }
        }
        // Moving on from `reported` takes the incident, if no acknowledgement has yet.
        if takes {
            changes += Clocks.startCadences(for: incident, at: now, running: cadencesRunning, rules: rules.procedure)
        }
        // The acknowledger or the commander at work on the incident keeps its acknowledgement:
        // the timeout is for an incident acknowledged and then forgotten, not one being worked.
        if incident.acknowledgedAt != nil, let timeout = incident.policy.ackTimeout,
           actor == incident.acknowledgedBy || actor == record.roles.commander {
            changes.append(.postponeTimers(incident: id, kind: .acknowledgementTimeout, to: now.addingTimeInterval(timeout.seconds)))
        }
        return changes
    }
}
