import Foundation
import TocsinCore

/// `/`: open incidents first, then the most recently opened closed ones, each with what a
/// responder looks for at a glance (severity, stage, service, commander, age, acknowledgement).
struct IncidentListView {
    /// An incident and its commander, as the list shows it.
    struct Row {
        var incident: Incident
        var commander: String?
    }

    var rows: [Row]
    var filter: IncidentFilter
    var now: Date
    static let recentClosed = 20

    var html: HTML {
        let services = Set(rows.map(\.incident.service)).sorted()
        let shown = rows.filter { filter.matches($0.incident) }
        let open = shown.filter { $0.incident.stage != .closed }
        let closed = shown.filter { $0.incident.stage == .closed }.prefix(Self.recentClosed)
        return """
            <h1>Incidents</h1>\(filter.form(services: services))
            <section aria-labelledby="open-heading"><h2 id="open-heading">Open (\(open.count))</h2>\(table(open, empty: "No open incidents."))</section>
            <section aria-labelledby="closed-heading"><h2 id="closed-heading">Recently closed</h2>\(table(Array(closed), empty: "No closed incidents yet."))</section>
            """
    }

    private func table(_ rows: [Row], empty: String) -> HTML {
        guard !rows.isEmpty else { return "<p class=\"quiet\">\(empty)</p>" }
        let body = rows.map { row -> HTML in
            let incident = row.incident
            let acknowledgement: HTML = if let by = incident.acknowledgedBy, let at = incident.acknowledgedAt {
                "<span class=\"ack yes\">by \(by), \(Durations.text(now.timeIntervalSince(at))) ago</span>"
            } else {
                "<span class=\"ack no\">not acknowledged</span>"
            }
            return """
                <tr><td><a href="/incidents/\(incident.id)">#\(incident.id)</a></td>
                <td><a href="/incidents/\(incident.id)">\(incident.title)</a></td>
                <td><span class="severity \(incident.severity.description.lowercased())">\(incident.severity.description)</span></td>
                <td><span class="stage">\(incident.stage.rawValue)</span></td><td>\(incident.service)</td><td>\(row.commander ?? "none")</td>
                <td><time datetime="\(UTCTime.string(incident.openedAt))">\(Durations.text(now.timeIntervalSince(incident.openedAt)))</time></td>
                <td>\(acknowledgement)</td></tr>
                """
        }
        return """
            <table class="incidents"><thead><tr><th scope="col">Id</th><th scope="col">Title</th><th scope="col">Severity</th><th scope="col">Stage</th>
            <th scope="col">Service</th><th scope="col">Commander</th><th scope="col">Age</th><th scope="col">Acknowledged</th></tr></thead>
            <tbody>\(body)</tbody></table>
            """
    }
}
