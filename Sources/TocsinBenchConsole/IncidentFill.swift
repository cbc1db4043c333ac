import Foundation
import TocsinPager
import TocsinTestSupport

/// Builds the benchmark's incident through the real API: an alert opens it, its commander
/// acknowledges it (so no page keeps the daemon busy), and notes fill its timeline.
struct IncidentFill {
    let daemon: TocsindDaemon
    let token: String

    /// Returns the sequence number of the timeline's last event, at least `target`.
    func fill(to target: Int) async throws -> Int {
        let alert = #"{"source":"prometheus","dedup_key":"bench-console","summary":"Card payments failing","service":"payments-core","labels":{"urgency":"high"}}"#
        guard await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202 else {
            throw BenchFailure("the alert was refused")
        }
        guard await daemon.request("POST", "/api/v1/incidents/1/ack", token: token).status == 200 else { throw BenchFailure("acknowledging was refused") }
        let started = ContinuousClock.now
        var count = try await timelineLength()
        while count < target {
            let batch = min(64, target - count), written = count
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<batch {
                    group.addTask {
                        let body = #"{"text": "Operation log entry \#(written + index): checked the card channel's health, all green"}"#
                        let status = await daemon.request("POST", "/api/v1/incidents/1/note", token: token, body: body).status
                        guard status == 200 else { throw BenchFailure("a note was answered \(status ?? 0)") }
                    }
                    if index % 8 == 7 { try await group.next() }
                }
                try await group.waitForAll()
            }
            count = try await timelineLength()
            print("\rtimeline: \(count)/\(target) events", terminator: "")
            fflush(nil)
        }
        print("\rtimeline: \(count) events, written through the API in \(Int((ContinuousClock.now - started).seconds)) s")
        return count
    }

    private func timelineLength() async throws -> Int {
        let timeline = await daemon.json("/api/v1/incidents/1/timeline", token: token) as? [String: Any]
        guard let events = timeline?["events"] as? [Any] else {
            throw BenchFailure("the timeline could not be read")
        }
        return events.count
    }
}
