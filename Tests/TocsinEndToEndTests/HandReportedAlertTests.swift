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
