import Foundation

/// What a firing alert's (new) severity does: opens an incident when it crosses the major
/// threshold, raises an open incident's severity, and schedules the next look at how long
/// the fault has lasted.
public enum Classification {
    /// The alert is `alertID`; `incident` is the one it belongs to, with that incident's
    /// severity, if any. Any earlier severity review of the alert is cancelled by the caller.
    public static func classify(alertID: Int64, report: AlertReport, severity: Severity, incident: (id: Int64, severity: Severity)?,
                                rules: ResponseRules, now: Date) -> (opening: IncidentOpening?, changes: [RecordChange]) {
        var changes: [RecordChange] = []
        var opening: IncidentOpening?
        if let incident {
            if severity > incident.severity {
                changes.append(.severity(incident: incident.id, severity))
                changes.append(.event(TimelineEntry(.severityRaised, incident: incident.id, at: now,
                                                    detail: ["from": incident.severity.description, "to": severity.description, "alert": report.dedupKey])))
            }
        } else if severity.isAtLeast(rules.severity.majorThreshold) {
            opening = IncidentOpening(report: report, severity: severity, rules: rules, at: now)
        }
        if let next = rules.severity.nextRaise(of: report, after: now) {
            changes.append(.timer(TimerRequest(.severityReview, dueAt: next, alertID: alertID)))
        }
        return (opening, changes)
    }

    /// The severity of a repeat of a firing alert first seen with `stored` severity and start:
    /// never lower, and rising with how long the fault has lasted since the stored start.
    public static func severity(ofRepeat report: AlertReport, storedSeverity: Severity, storedStart: Date, rules: ResponseRules, now: Date) -> Severity {
        var lasting = report
        lasting.startsAt = storedStart
        return max(storedSeverity, rules.severity.severity(of: lasting, at: now))
    }
}
