import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `GET /live/incidents`: the incidents list's rows as Server-Sent Events, so a new incident
/// appears on an open list, and a row whose stage, acknowledgement or paging changes is
/// replaced, without a reload. Each message is one row, escaped as the page renders it.
///
/// A stream starts by sending every open row the filter shows and every row newer than the
/// page's newest (`Last-Event-ID`, else `?after=`), so a list that reconnects after a gap
/// catches up on whatever it missed; then only what changes.
struct IncidentListStream: Sendable {
    let engine: Engine
    /// The shortest time between two reads of the record, however often it changes.
    var gap: Duration = .milliseconds(100)
    var streamLifetime: Duration = .seconds(300)

    /// The rows sent so far, and the newest incident among them.
    private struct Sent: Sendable {
        var rows: [Int64: IncidentListView.Row] = [:]
        var newest: Int64
    }

    func response(filter: IncidentFilter, after: Int64) -> Response {
        EventStream.response(from: Sent(newest: after), following: engine.store.changes, gap: gap, for: streamLifetime) { [engine] sent in
            // Only rows that may be sent are built: open ones, new ones, and those already sent.
            let rows = try IncidentListView.Row.all(in: engine) { incident in
                filter.matches(incident) && (incident.stage != .closed || incident.id > after || sent.rows[incident.id] != nil)
            }
            let view = IncidentListView(rows: rows, filter: filter, now: engine.clock.now())
            return rows.reversed().filter { sent.rows[$0.incident.id] != $0 }.map { row in
                sent.rows[row.incident.id] = row
                sent.newest = max(sent.newest, row.incident.id)
                return EventStream.Message(id: "\(sent.newest)", event: "row", data: view.row(row).description.replacingOccurrences(of: "\n", with: " "))
            }
        }
    }
}
