import Foundation
import TocsinPager
import TocsinTestSupport

/// A monitoring system sending alerts to a set of tocsind, as Alertmanager does: on a refusal
/// or no answer it tries the next instance, backing off, for at most `patience`. An alert
/// counts as accepted only when an instance answered 202.
struct Sender {
    let instances: [TocsindDaemon]
    let patience: TimeInterval = 30

    /// Sends one alert, starting with instance `first`; returns when it was accepted, or nil.
    func send(key: String, first: Int) async -> Date? {
        let body = """
            {"source":"prometheus","dedup_key":"\(key)","summary":"Payment API 5xx above 20%","service":"payments-core",
             "labels":{"urgency":"high","scenario":"total_outage"},"starts_at":"\(ISO8601DateFormatter().string(from: Date()))"}
            """
        let deadline = Date().addingTimeInterval(patience)
        var attempt = 0
        while Date() < deadline {
            let instance = instances[(first + attempt) % instances.count]
            let response = await instance.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: body)
            if response.status == 202 { return Date() }
            attempt += 1
            try? await Task.sleep(for: .milliseconds(attempt < instances.count ? 0 : 200))
        }
        return nil
    }
}
