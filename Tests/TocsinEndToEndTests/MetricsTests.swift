import Foundation
import Testing
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinTestSupport

/// `GET /metrics` as an operator's Prometheus scrapes it: counts that move with what Tocsin
/// did, gauges read from the record (on either backend), and nothing a scraper should not see.
@Suite struct MetricsTests {
    typealias Name = ServiceMetrics.Name
    typealias Stored = MetricsExposition.Name

    static func scrape(_ daemon: TestDaemon) async throws -> MetricsText {
        let response = await daemon.request("GET", "/metrics", token: nil)
        try #require(response.status == 200, "\(response.text)")
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        return try MetricsText(response.text)
    }

    @Test(arguments: StoreBackend.all) func countsFollowAnIncidentFromAlertToDeliveredPageAndTheOutboxEmpties(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try await Self.scrape(daemon)
        #expect(before.value(Stored.outboxDepth) == 0)
        #expect(before.value(Stored.oldestPendingPageAge) == 0)
        #expect(before.value(Stored.incidentsOpen, ["stage": "reported", "severity": "SEV1"]) == 0)
        #expect(before.value(Stored.recordReadable) == 1)

        #expect(await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now())).status == 202)
        #expect(await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now())).status == 202)
        daemon.clock.advance(by: 30)
        let queued = try await Self.scrape(daemon)
        #expect(queued.value(Name.alertsReceived, ["source": "api", "outcome": "created"]) == 1)
        #expect(queued.value(Name.alertsReceived, ["source": "api", "outcome": "deduplicated"]) == 1)
        #expect(queued.value(Name.incidentsOpened, ["severity": "SEV1"]) == 1)
        #expect(queued.value(Stored.incidentsOpen, ["stage": "reported", "severity": "SEV1"]) == 1)
        #expect(queued.value(Stored.outboxDepth) == 1, "the commander's page waits: nothing has sent it yet")
        #expect(queued.value(Stored.pagesQueued, ["channel": "webhook"]) == 1)
        #expect(queued.value(Stored.oldestPendingPageAge) == 30)
        #expect(queued.value(Name.commitLatency + "_count") == 2)
        #expect(queued.type(of: Name.commitLatency) == "histogram")

        await daemon.runDue()
        #expect(daemon.listener.pages.count == 1)
        let delivered = try await Self.scrape(daemon)
        #expect(delivered.value(Stored.outboxDepth) == 0)
        #expect(delivered.value(Stored.pagesQueued, ["channel": "webhook"]) == 0, "an emptied channel reads 0, not nothing")
        #expect(delivered.value(Stored.oldestPendingPageAge) == 0)
        #expect(delivered.value(Name.pageAttempts, ["channel": "webhook", "outcome": "sent"]) == 1)
        #expect(delivered.value(Name.deliveryLatency + "_count", ["channel": "webhook"]) == 1)

        // The backup's page fails with a 503 and waits for its retry; a 400 on the next is final.
        daemon.listener.failNext(with: [503])
        await daemon.advance(by: 300)
        let retrying = try await Self.scrape(daemon)
        #expect(retrying.value(Name.pageAttempts, ["channel": "webhook", "outcome": "retrying"]) == 1)
        #expect(retrying.value(Stored.outboxDepth) == 1)
        #expect(retrying.total(Name.timerLateness + "_count") > delivered.total(Name.timerLateness + "_count"), "the second step's timer fired")
        #expect(retrying.total(Name.timerLateness + "_sum") - delivered.total(Name.timerLateness + "_sum") == 30,
                "due 300 s after the incident opened, it fired when the clock reached 330 s")
        daemon.listener.failNext(with: [400])
        await daemon.advance(by: 10)
        let failed = try await Self.scrape(daemon)
        #expect(failed.value(Name.pageAttempts, ["channel": "webhook", "outcome": "failed"]) == 1)
        #expect(failed.value(Stored.outboxDepth) == 0)

        #expect(await daemon.request("POST", "/api/v1/incidents/1/advance", token: "token-chen", body: #"{"to":"assessing"}"#).status == 200)
        let moved = try await Self.scrape(daemon)
        #expect(moved.value(Stored.incidentsOpen, ["stage": "reported", "severity": "SEV1"]) == 0)
        #expect(moved.value(Stored.incidentsOpen, ["stage": "assessing", "severity": "SEV1"]) == 1)
    }

    @Test(arguments: StoreBackend.all) func aMissedHeartbeatIsCountedWithTheIncidentItOpens(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        #expect(await HeartbeatTests.checkIn(daemon) == 200)
        await daemon.advance(by: 121)
        let text = try await Self.scrape(daemon)
        #expect(text.value(Name.heartbeatsMissed) == 1)
        #expect(text.value(Name.incidentsOpened, ["severity": "SEV1"]) == 1)
        #expect(text.value(Name.timerLateness + "_sum") == 1, "due at 120 s, fired when the clock reached 121 s")
    }

    @Test func integrationsAreCountedUnderTheirKindAndRefusedBatchesNotAtAll() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let body = #"[{"labels":{"alertname":"Disk","service":"reporting"},"annotations":{"summary":"disk"}}]"#
        #expect(await daemon.request("POST", "/api/v2/alerts", token: "token-prometheus", body: body).status == 200)
        #expect(await daemon.postAlert(#"{"source":"x"}"#).status == 400)
        let text = try await Self.scrape(daemon)
        #expect(text.value(Name.alertsReceived, ["source": "prometheus", "outcome": "created"]) == 1)
        #expect(text.total(Name.alertsReceived, ["source": "api"]) == 0)
        #expect(text.total(Name.incidentsOpened) == 0, "a reporting alert is below the major threshold")
    }

    @Test func theScrapeNeedsNoTokenAndShowsNoTokenPersonAddressOrAlertText() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let hostile = "<script>alert(1)</script> secret-summary"
        let alert = #"{"source":"prometheus","dedup_key":"k-\#(UUID())","summary":"\#(hostile)","service":"payments-core","labels":{"urgency":"high","customer":"card-4111"}}"#
        #expect(await daemon.postAlert(alert).status == 202)
        await daemon.runDue()
        let snapshot = try daemon.snapshot()
        let text = try await Self.scrape(daemon).text
        #expect(try daemon.snapshot() == snapshot, "a scrape changes nothing")
        for secret in Array(TestDaemon.tokens.keys) + [TestDaemon.ackSecret, TestDaemon.grafanaSecret, "chen.wei", "127.0.0.1", "secret-summary",
                                                      "script", "card-4111", "payments-core", "k-"] {
            #expect(!text.contains(secret), "\(secret) appears at /metrics")
        }
        // Methods it does not serve are refused as every API refusal is, and change nothing.
        let post = await daemon.request("POST", "/metrics", token: nil, body: "{}")
        #expect(post.status == 405 && post.headers["allow"] == "GET")
        #expect(post.headers["content-type"] == "application/problem+json")
        #expect(try daemon.snapshot() == snapshot)
    }
}
