import Foundation
import TocsinCore
import TocsinEngine

/// `/`: open incidents first, then the most recently opened closed ones, each with what a
/// responder looks for at a glance (severity, stage, service, commander, age, who is being
/// paged now, acknowledgement). With JavaScript on, `IncidentListStream` keeps it current.
struct IncidentListView {
    /// An incident as the list shows it: its commander and who its escalation is paging now.
    struct Row: Hashable {
        var incident: Incident
        var commander: String?
        var paging: [String]
    }

    var rows: [Row]
    var filter: IncidentFilter
    var now: Date
    static let recentClosed = 20

    var html: HTML {
        let services = Set(rows.map(\.incident.service)).sorted()
        let shown = rows.filter { filter.matches($0.incident) }
        let open = shown.filter { $0.incident.stage != .closed }
        let closed = Array(shown.filter { $0.incident.stage == .closed }.prefix(Self.recentClosed))
        let newest = rows.map(\.incident.id).max() ?? 0
        return """
            <h1>Incidents</h1>\(filter.form(services: services))
            <section aria-labelledby="open-heading"><h2 id="open-heading">Open (<span id="open-count">\(open.count)</span>)</h2>
            \(open.isEmpty ? "<p class=\"quiet\" id=\"no-open\">No open incidents.</p>" : HTML.empty)
            \(table(open, id: "open-incidents", newest: newest))</section>
            <section aria-labelledby="closed-heading"><h2 id="closed-heading">Recently closed</h2>
            \(closed.isEmpty ? "<p class=\"quiet\">No closed incidents yet.</p>" : table(closed, id: "closed-incidents", newest: nil))</section>
            """
    }

    /// One incident's row; the live list sends the same markup.
    func row(_ row: Row) -> HTML {
        let incident = row.incident
        let acknowledgement: HTML = if let by = incident.acknowledgedBy, let at = incident.acknowledgedAt {
            "<span class=\"ack yes\">by \(by), \(Durations.text(now.timeIntervalSince(at))) ago</span>"
        } else {
            "<span class=\"ack no\">not acknowledged</span>"
        }
        let paging: HTML = row.paging.isEmpty ? "<span class=\"quiet\">nobody</span>" : "<span class=\"paging\">\(row.paging.joined(separator: ", "))</span>"
        return """
            <tr id="incident-\(incident.id)"><td><a href="/incidents/\(incident.id)">#\(incident.id)</a></td>
            <td><a href="/incidents/\(incident.id)">\(incident.title)</a></td>
            <td><span class="severity \(incident.severity.description.lowercased())">\(incident.severity.description)</span></td>
            <td><span class="stage">\(incident.stage.rawValue)</span></td><td>\(incident.service)</td><td>\(row.commander ?? "none")</td>
            <td><time datetime="\(UTCTime.string(incident.openedAt))">\(Durations.text(now.timeIntervalSince(incident.openedAt)))</time></td>
            <td>\(paging)</td><td>\(acknowledgement)</td></tr>
            """
    }

    /// `newest` (the open table only) is where the live list resumes from.
    private func table(_ rows: [Row], id: String, newest: Int64?) -> HTML {
        let live: HTML = newest.map { " data-last=\"\($0)\" data-filter=\"\(filter.query)\"" } ?? .empty
        return """
            <table class="incidents" id="\(id)"\(live)><thead><tr><th scope="col">Id</th><th scope="col">Title</th><th scope="col">Severity</th>
            <th scope="col">Stage</th><th scope="col">Service</th><th scope="col">Commander</th><th scope="col">Age</th>
            <th scope="col">Being paged</th><th scope="col">Acknowledged</th></tr></thead>
            <tbody>\(rows.map(row))</tbody></table>
            """
    }
}

extension IncidentListView.Row {
    /// The incidents in the record that `include` picks (all by default), newest first as the
    /// store lists them, as list rows.
    static func all(in engine: Engine, where include: (Incident) -> Bool = { _ in true }) throws -> [Self] {
        try engine.store.incidents().filter(include).map { incident in
            let paging = incident.stage == .closed || incident.acknowledgedAt != nil ? [] : PageTrail(try engine.store.timeline(incident.id, kinds: PageTrail.kinds)).beingPaged(incident)
            return Self(incident: incident, commander: try engine.store.procedureRecord(incident.id).roles.commander, paging: paging)
        }
    }
}
