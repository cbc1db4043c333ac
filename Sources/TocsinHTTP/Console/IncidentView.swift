import Foundation
import TocsinCore

/// `/incidents/{id}`, the war room: where the incident stands in the procedure and what its
/// gate still misses, its clocks, its pages, what this person may do now, and a window of the
/// timeline.
struct IncidentView {
    var incident: Incident
    var record: ProcedureRecord
    /// Every page the incident sent, read from the page-delivery events alone.
    var trail: PageTrail
    var timeline: TimelineView
    var timers: [TimerRequest]
    var alerts: [AlertRecord]
    var runbook: Runbook?
    var forms: CommandForms
    var now: Date

    var html: HTML {
        let acknowledgement: HTML = if let by = incident.acknowledgedBy, let at = incident.acknowledgedAt {
            "<span class=\"ack yes\">Acknowledged by \(by) at \(Moments.text(at))</span>"
        } else {
            "<span class=\"ack no\">Not acknowledged</span>"
        }
        let roles = record.roles
        let drill: HTML = incident.isDrill ? "<p class=\"drill\" role=\"note\">DRILL: a rehearsal. The trade switch is not called. <a href=\"/drills/\(incident.id)\">Scorecard</a></p>" : .empty
        return """
            <p class="crumbs"><a href="/">Incidents</a></p>\(drill)
            <h1><span class="severity \(incident.severity.description.lowercased())">\(incident.severity.description)</span> #\(incident.id) \(incident.title)</h1>
            <p class="facts">Service <strong>\(incident.service)</strong> · opened <time datetime="\(UTCTime.string(incident.openedAt))">\(Moments.text(incident.openedAt))</time>
            (\(Durations.text(now.timeIntervalSince(incident.openedAt))) ago) · \(acknowledgement)</p>
            <p class="facts">Commander <strong>\(roles.commander ?? "none")</strong> · coordinator \(roles.coordinator ?? "none") ·
            business lead \(roles.businessLead ?? "none") · executors \(roles.executors.isEmpty ? "none" : roles.executors.joined(separator: ", "))</p>
            <div class="war-room"><div class="main-column">\(StagePathView(stage: incident.stage, record: record).html)
            \(ClocksView(timers: timers, now: now).html)\(RecordView(record: record, runbook: runbook).html)\(AlertsView(alerts: alerts).html)\(PagesView(trail: trail).html)
            \(timeline.html)</div>
            <div class="side-column">\(forms.html)</div></div>
            """
    }
}
