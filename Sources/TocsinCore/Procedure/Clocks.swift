import Foundation

/// The procedure's durable clocks: update cadences with their reminders and escalations,
/// the root-cause deadline and the regulatory reports (`RegulatoryClocks`). Each is a timer with a subject.
public enum Clocks {
    public static let assessmentDeadline = "root_cause_and_plan"

    /// An update due at `dueAt`, and its reminder `reminderLead` before.
    static func update(_ kind: UpdateKind, dueAt: Date, incident: Int64, rules: ProcedureRules) -> [RecordChange] {
        [.timer(TimerRequest(.updateReminder, dueAt: dueAt.addingTimeInterval(-rules.reminderLead.seconds), incidentID: incident, subject: kind.rawValue)),
         .timer(TimerRequest(.updateDue, dueAt: dueAt, incidentID: incident, subject: kind.rawValue))]
    }

    /// The clocks that run from the moment an incident is classified (`incident.openedAt`): the
    /// regulatory report's. The update cadences wait until someone takes the incident
    /// (`startCadences`).
    public static func start(for incident: Incident, rules: ProcedureRules) -> [RecordChange] {
        let regimes = RegulatoryClocks.start(for: incident, rules: rules)
        guard let within = rules.regulatoryReportWithin else { return regimes }
        return update(.regulatory, dueAt: incident.openedAt.addingTimeInterval(within.seconds), incident: incident.id, rules: rules) + regimes
    }

    /// The bulletin and business-update cadences, from `takenAt`: when the incident was first
    /// acknowledged or moved to assessing, whichever came first. Before that nobody owns an
    /// update, and reminding or paging about it would only add to the escalation's pages.
    /// Nothing when they already run (`running`, as the record's timers say).
    public static func startCadences(for incident: Incident, at takenAt: Date, running: Bool, rules: ProcedureRules) -> [RecordChange] {
        guard !running else { return [] }
        return rules.cadences(for: incident.severity).flatMap { kind, interval in
            update(kind, dueAt: takenAt.addingTimeInterval(interval.seconds), incident: incident.id, rules: rules)
        }
    }

    /// A procedure clock of `kind` about `subject` came due for `incident`, whose record is `record`.
    public static func fire(_ kind: TimerKind, subject: String, incident: Incident, record: ProcedureRecord, dueAt: Date,
                            rules: ResponseRules) -> [RecordChange] {
        // A regulator's report is owed after the incident closes too.
        if case let (regime, report)? = rules.procedure.regulatoryReport(subject: subject) {
            return RegulatoryClocks.fire(kind, report: report, of: regime, incident: incident, record: record, dueAt: dueAt, rules: rules)
        }
        guard incident.stage != .closed else { return [] }
        let id = incident.id
        let leadership: [EscalationTarget] = [.role(.leadership, .primary), .role(.leadership, .backup)]
        func notice(to targets: [EscalationTarget], alsoTo extra: [String?] = [], _ subject: String, _ message: String) -> RecordChange {
            .notice(NoticeRequest(to: targets, alsoTo: extra.compactMap { $0 }, incident: incident, subject: subject, message: message,
                                  roster: rules.roster, at: dueAt))
        }
        if kind == .deadline {
            return [.event(TimelineEntry(.deadlineBreached, incident: id, at: dueAt, detail: ["deadline": subject])),
                    notice(to: leadership, alsoTo: [record.roles.commander], "deadline_breached",
                           "Incident \(id): root cause and recovery plan were due by \(UTCTime.string(dueAt)) and are not recorded.")]
        }
        guard let update = UpdateKind(rawValue: subject) else { return [] }
        let owner = record.roles.holder(of: update.owner)
        switch kind {
        case .updateReminder:
            return [.event(TimelineEntry(.updateReminder, incident: id, at: dueAt, detail: ["kind": subject])),
                    notice(to: [], alsoTo: [owner], "update_reminder",
                           "The \(subject) update for incident \(id) is due in \(Int(rules.procedure.reminderLead.seconds / 60)) minutes.")]
        case .updateDue:
            let backup: [EscalationTarget] = switch update {
            case .bulletin: [.role(.technicalCoordinator, .backup)]
            case .business: [.role(.business, .backup)]
            case .regulatory: leadership
            }
            var changes: [RecordChange] = [
                .event(TimelineEntry(.updateMissed, incident: id, at: dueAt, detail: ["kind": subject, "owner": owner ?? "", "due_at": UTCTime.string(dueAt)])),
                notice(to: backup, alsoTo: [owner], "update_missed",
                       "The \(subject) update for incident \(id) was due at \(UTCTime.string(dueAt)) and has not been posted."),
            ]
            if update != .regulatory {
                changes.append(.timer(TimerRequest(.updateEscalation, dueAt: dueAt.addingTimeInterval(rules.procedure.missedGrace.seconds), incidentID: id, subject: subject)))
                if let interval = rules.procedure.cadences(for: incident.severity)[update] {
                    changes += Clocks.update(update, dueAt: dueAt.addingTimeInterval(interval.seconds), incident: id, rules: rules.procedure)
                }
            }
            return changes
        case .updateEscalation:
            return [.event(TimelineEntry(.updateEscalated, incident: id, at: dueAt, detail: ["kind": subject, "to": "leadership"])),
                    notice(to: leadership, "update_missed", "Incident \(id): the \(subject) update is still missing after the grace period.")]
        default:
            return []
        }
    }
}
