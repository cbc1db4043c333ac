import Foundation
import TocsinCore

/// The clocks running on the incident, each with its due time and the time left; the
/// console's script counts them down, and a missed one turns red.
struct ClocksView {
    var timers: [TimerRequest]
    var now: Date

    var html: HTML {
        let rows = timers.compactMap { timer -> HTML? in
            guard let name = Self.name(of: timer) else { return nil }
            let left = timer.dueAt.timeIntervalSince(now)
            let leftText = left >= 0 ? "in \(Durations.text(left))" : "missed \(Durations.text(left)) ago"
            return """
                <li class="clock\(left < 0 ? " missed" : "")"><span class="clock-name">\(name)</span>
                <time class="countdown" datetime="\(UTCTime.string(timer.dueAt))" data-now="\(UTCTime.string(now))">\(leftText)</time>
                <span class="quiet">due \(Moments.text(timer.dueAt))</span></li>
                """
        }
        let list: HTML = rows.isEmpty ? "<p class=\"quiet\">No clock is running on this incident.</p>" : "<ul class=\"clocks\">\(rows)</ul>"
        return "<section aria-labelledby=\"clocks-heading\"><h2 id=\"clocks-heading\">Clocks</h2>\(list)</section>"
    }

    static func name(of timer: TimerRequest) -> String? {
        let subject = timer.subject ?? ""
        switch timer.kind {
        case .escalation: return "Escalation level \((timer.step ?? 0) + 1) pages unless acknowledged"
        case .acknowledgementTimeout: return "The acknowledgement times out and paging starts again"
        case .updateReminder:
            if let report = regimeReport(subject) { return "Reminder: the \(report)" }
            return subject == UpdateKind.regulatory.rawValue ? "Reminder: the regulatory report" : "Reminder: the \(subject) update"
        case .updateDue:
            if let report = regimeReport(subject) { return "The \(report) is due" }
            return subject == UpdateKind.regulatory.rawValue ? "The regulatory report is due" : "The \(subject) update is due"
        case .updateEscalation: return "Leadership is told the \(subject) update is missing"
        case .deadline: return subject == Clocks.assessmentDeadline ? "Root cause and recovery plan are due" : "Deadline: \(subject)"
        // A drill's scripted events stay a surprise to the team it tests.
        case .severityReview, .silenceEnd, .heartbeatMissed, .drillInjection: return nil
        // Not about an incident.
        case .handoverMissed, .shiftStart: return nil
        }
    }

    /// `regulatory.dora.initial` → `dora initial report`.
    private static func regimeReport(_ subject: String) -> String? {
        guard subject.hasPrefix(RegulatoryRegime.subjectPrefix) else { return nil }
        return subject.dropFirst(RegulatoryRegime.subjectPrefix.count).replacingOccurrences(of: ".", with: " ").replacingOccurrences(of: "_", with: " ") + " report"
    }
}
