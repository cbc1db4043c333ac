import Foundation
import TocsinCore
import TocsinStore

/// `/on-call`, last part: each declared heartbeat, when it last checked in and whether it is
/// on time, overdue or missed (its alert firing).
struct HeartbeatsView {
    var heartbeats: [HeartbeatStatus]
    var now: Date

    var html: HTML {
        let rows = heartbeats.map { heartbeat -> HTML in
            let (state, text): (String, String) = if heartbeat.missed {
                ("missed", "missed: its alert is firing")
            } else if let due = heartbeat.dueAt, due < now {
                ("overdue", "overdue by \(Durations.text(now.timeIntervalSince(due)))")
            } else if let due = heartbeat.dueAt {
                ("on-time", "on time, next due in \(Durations.text(due.timeIntervalSince(now)))")
            } else {
                ("waiting", "waiting for its first check-in")
            }
            return """
                <tr><td>\(heartbeat.name)</td><td>every \(Durations.text(heartbeat.intervalSeconds))</td>
                <td>\(heartbeat.lastCheckInAt.map(Moments.text) ?? "never")</td><td>\(heartbeat.checkIns)</td>
                <td><span class="heartbeat \(state)">\(text)</span></td></tr>
                """
        }
        let table: HTML = heartbeats.isEmpty ? "<p class=\"quiet\">No heartbeat is declared (<code>heartbeats:</code> in tocsin.yaml).</p>" : """
            <table class="heartbeats"><thead><tr><th scope="col">Heartbeat</th><th scope="col">Interval</th><th scope="col">Last check-in</th>
            <th scope="col">Check-ins</th><th scope="col">State</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return "<section aria-labelledby=\"heartbeats-heading\"><h2 id=\"heartbeats-heading\">Heartbeats</h2>\(table)</section>"
    }
}
