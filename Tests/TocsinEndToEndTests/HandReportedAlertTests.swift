import Foundation
import Testing
import TocsinCore

/// A fault reported by hand or by a script that does not know when it started.
@Suite struct HandReportedAlertTests {
    @Test(arguments: StoreBackend.all) func anAlertWithoutStartsAtStartsWhenReceivedAndSaysSo(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        daemon.clock.advance(by: 42)
        let received = daemon.clock.now()
        let response = await daemon.request("POST", "/api/v1/alerts", token: "token-chen",
                                            body: #"{"source":"manual","dedup_key":"cards-down","summary":"Card payments fail at checkout","service":"payments-core"}"#)
        #expect(response.status == 202, "\(response.text)")
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.report.startsAt == received)
        let arrival = try #require(try daemon.events(.alertReceived).first)
        #expect(arrival.detail["starts_at"] == UTCTime.string(received))
        #expect(arrival.detail["starts_at_defaulted"] == "not given; the time Tocsin received the alert stands in")

        // Given, it is taken as it is and nothing says otherwise.
        let given = await daemon.postAlert(TestDaemon.alertJSON(key: "given", service: "settlement", startsAt: received.addingTimeInterval(-600)))
        #expect(given.status == 202)
        let opened = try daemon.engine.store.timeline(2).first { $0.kind == .alertReceived }
        #expect(opened?.detail["starts_at"] == UTCTime.string(received.addingTimeInterval(-600)) && opened?.detail["starts_at_defaulted"] == nil)
    }
}

/// A batch mixing new alerts, repeats, resolutions and an incident opening: what each alert
/// does is the same however the store groups its writes.
@Suite struct MixedBatchTests {
    @Test(arguments: StoreBackend.all) func eachAlertOfABatchIsTakenInOrder(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let now = daemon.clock.now()
        func alert(_ key: String, urgency: String = "low", status: String = "firing", summary: String = "disk usage high") -> String {
            #"{"source":"batch","dedup_key":"\#(key)","summary":"\#(summary)","service":"reporting","labels":{"urgency":"\#(urgency)"},"status":"\#(status)","starts_at":"\#(UTCTime.string(now))"}"#
        }
        #expect(await daemon.postAlert(alert("open-before")).status == 202)
        let batch = "[" + [alert("a"), alert("b"), alert("a", summary: "disk usage higher"), alert("c", status: "resolved"), alert("c"),
                           alert("open-before", summary: "still high"), alert("b", status: "resolved"),
                           #"{"source":"batch","dedup_key":"pay","summary":"Payments failing","service":"payments-core","labels":{"urgency":"high"},"starts_at":"\#(UTCTime.string(now))"}"#]
            .joined(separator: ",") + "]"
        let response = await daemon.request("POST", "/api/v1/alerts", token: "token-monitoring", body: batch)
        #expect(response.status == 202)
        #expect(response.json["created"] as? Int == 4, "a, b, c after its early resolution, and pay: \(response.text)")
        #expect(response.json["deduplicated"] as? Int == 2, "a's repeat and open-before")
        #expect(response.json["ignored"] as? Int == 1, "c resolved before it ever fired")
        #expect(response.json["resolved"] as? Int == 1, "b")
        #expect(response.json["opened_incidents"] as? [Int] == [1])
        let alerts = Dictionary(uniqueKeysWithValues: try daemon.engine.store.alerts().map { ($0.report.dedupKey, $0) })
        #expect(alerts["a"]?.report.summary == "disk usage higher" && alerts["a"]?.receiveCount == 2)
        #expect(alerts["b"]?.report.status == .resolved && alerts["c"]?.report.status == .firing)
        #expect(alerts["open-before"]?.receiveCount == 2 && alerts["open-before"]?.report.summary == "still high")
        #expect(alerts.count == 5)
    }
}
