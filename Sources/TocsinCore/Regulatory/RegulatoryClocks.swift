import Foundation

/// The clocks of the regimes' reports: a reminder row and a due row per report, like every
/// other deadline. Set when the moment a report runs from comes on record (the incident opens,
/// is declared major, the report before it is submitted); stopped when the report is submitted.
public enum RegulatoryClocks {
    /// The reminder and due rows of `report`, replacing any it had. A reminder whose time has
    /// passed is not set again: a reminder already sent is not sent twice.
    static func schedule(_ report: RegulatoryReport, of regime: RegulatoryRegime, due: Date, incident: Int64, rules: ProcedureRules, now: Date) -> [RecordChange] {
        let subject = regime.subject(of: report)
        let remindAt = due.addingTimeInterval(-(report.remindBefore ?? rules.reminderLead).seconds)
        var changes: [RecordChange] = [.cancelTimers(.subject(subject, incident: incident, kinds: [.updateReminder, .updateDue]))]
        if remindAt > now { changes.append(.timer(TimerRequest(.updateReminder, dueAt: remindAt, incidentID: incident, subject: subject))) }
        changes.append(.timer(TimerRequest(.updateDue, dueAt: due, incidentID: incident, subject: subject)))
        return changes
    }

    /// The clocks that run from the incident's opening, for the regimes that start then (the
    /// upward report's own clock is set by `Clocks.start`).
    static func start(for incident: Incident, rules: ProcedureRules) -> [RecordChange] {
        let anchors = ReportAnchors(opened: incident.openedAt, detected: incident.openedAt)
        return rules.regimes.filter { $0.starts == .opened }.flatMap { regime in
            regime.reports.flatMap { report -> [RecordChange] in
                guard let due = report.clock.due(anchors) else { return [] }
                return schedule(report, of: regime, due: due, incident: incident.id, rules: rules, now: incident.openedAt)
            }
        }
    }

    /// The clocks of the regime's reports not yet submitted that run from one of `moved`, which
    /// have just come on record (or moved: a correction moves only `.latest` of its report).
    static func restart(from moved: [ReportAnchor], regime: RegulatoryRegime, filings: RegulatoryFilings, incident: Incident, rules: ProcedureRules, now: Date) -> [RecordChange] {
        guard filings.runs(regime) else { return [] }
        let anchors = filings.anchors(for: regime, incident: incident)
        return regime.reports.flatMap { report -> [RecordChange] in
            let startsNow = moved.contains(.declared) || moved.contains { report.clock.runs(from: $0) }
            guard startsNow, filings.versions(regime.id, report.id).isEmpty, let due = report.clock.due(anchors) else { return [] }
            return schedule(report, of: regime, due: due, incident: incident.id, rules: rules, now: now)
        }
    }

    /// A regime report's reminder or due row fired.
    static func fire(_ kind: TimerKind, report: RegulatoryReport, of regime: RegulatoryRegime, incident: Incident, record: ProcedureRecord,
                     dueAt: Date, rules: ResponseRules) -> [RecordChange] {
        let id = incident.id
        let owner = record.roles.holder(of: report.owner)
        let name = "\(regime.title): \(report.title)"
        let detail = ["regime": regime.id, "report": report.id, "owner": owner ?? ""]
        func notice(to targets: [EscalationTarget], _ subject: String, _ message: String) -> RecordChange {
            .notice(NoticeRequest(to: targets, alsoTo: [owner].compactMap { $0 }, incident: incident, subject: subject, message: message, roster: rules.roster, at: dueAt))
        }
        switch kind {
        case .updateReminder:
            let due = dueAt.addingTimeInterval((report.remindBefore ?? rules.procedure.reminderLead).seconds)
            return [.event(TimelineEntry(.reportReminder, incident: id, at: dueAt, detail: detail.merging(["due_at": UTCTime.string(due)]) { $1 })),
                    notice(to: [], "report_reminder",
                           "Reminder: the \(name) for incident \(id) is due at \(UTCTime.string(due)). Draft it with: tocsin regulatory draft \(id) \(regime.id) \(report.id)")]
        case .updateDue:
            return [.event(TimelineEntry(.reportMissed, incident: id, at: dueAt, detail: detail.merging(["due_at": UTCTime.string(dueAt)]) { $1 })),
                    notice(to: [.role(.leadership, .primary), .role(.leadership, .backup)], "report_missed",
                           "Incident \(id): the \(name) was due at \(UTCTime.string(dueAt)) and has not been submitted.")]
        default:
            return []
        }
    }
}
