import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
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
    var interval: Duration = .milliseconds(250)
    var streamLifetime: Duration = .seconds(300)

    func response(filter: IncidentFilter, after: Int64) -> Response {
        EventStream.response { [engine, interval, streamLifetime] writer in
            var sent: [Int64: IncidentListView.Row] = [:]
            var newest = after
            let deadline = ContinuousClock.now.advanced(by: streamLifetime)
            var quietSince = ContinuousClock.now
            while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
                // Only rows that may be sent are built: open ones, new ones, and those already sent.
                let rows = try IncidentListView.Row.all(in: engine) { incident in
                    filter.matches(incident) && (incident.stage != .closed || incident.id > after || sent[incident.id] != nil)
                }
                let view = IncidentListView(rows: rows, filter: filter, now: engine.clock.now())
                let changed = rows.reversed().filter { sent[$0.incident.id] != $0 }
                for row in changed {
                    sent[row.incident.id] = row
                    newest = max(newest, row.incident.id)
                    let html = view.row(row).description.replacingOccurrences(of: "\n", with: " ")
                    try await writer.write(ByteBuffer(string: "id: \(newest)\nevent: row\ndata: \(html)\n\n"))
                }
                if !changed.isEmpty {
                    quietSince = ContinuousClock.now
                } else if ContinuousClock.now - quietSince > .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": waiting\n\n"))
                    quietSince = ContinuousClock.now
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
