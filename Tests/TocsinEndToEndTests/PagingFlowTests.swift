import Foundation
import Testing
import TocsinCore

/// The whole path a page takes: alert in, commander paged, escalation, acknowledgement.
@Suite struct PagingFlowTests {
    @Test(arguments: StoreBackend.all) func primaryIsPagedThenBackupExactlyAtTheDelayThenAckStopsEverything(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let openedAt = daemon.clock.now()

        let response = await daemon.postAlert(TestDaemon.alertJSON(startsAt: openedAt))
        #expect(response.status == 202)
        #expect(response.json["opened_incidents"] as? [Int] == [1])
        await daemon.runDue()

        let first = try #require(daemon.listener.pages.first)
        #expect(daemon.listener.pages.count == 1)
        #expect(first.path == "/chen.wei")
        #expect(first.idempotencyKey == "incident-1/step-0/chen.wei/webhook")
        let body = first.json
        #expect(body["incident_id"] as? Int == 1)
        #expect(body["severity"] as? String == "SEV1")
        #expect(body["summary"] as? String == "Payment API 5xx above 20%")
        #expect(body["person"] as? String == "chen.wei")
        #expect((body["runbook"] as? [String: Any])?["id"] as? String == "total-outage")
        #expect((body["acknowledge_url"] as? String)?.contains("/ack/1?person=chen.wei&expires=") == true)

        await daemon.advance(by: 299.999)
        #expect(daemon.listener.pages.count == 1, "the backup must not be paged before the delay")
        await daemon.advance(by: 0.001)
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei", "/priya.raman"])

        let ack = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-priya")
        #expect(ack.status == 200)
        #expect(ack.json["acknowledged_by"] as? String == "priya.raman")

        await daemon.advance(by: 3600)
        #expect(daemon.escalationPages.count == 2, "no escalation page is sent after the acknowledgement")
        #expect(daemon.listener.duplicates == 0)
    }

    @Test(arguments: StoreBackend.all) func unacknowledgedIncidentClimbsToTheNextLevel(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 300)
        await daemon.advance(by: 600)
        #expect(Set(daemon.listener.pages.map(\.path)) == ["/chen.wei", "/priya.raman", "/sam.okafor", "/li.na"])
        let timeline = try daemon.engine.store.timeline(1)
        #expect(timeline.filter { $0.kind == .escalated }.map { $0.detail["step"] } == ["1", "2"])
    }

    @Test(arguments: StoreBackend.all) func secondAcknowledgementIsHarmlessAndRecorded(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let first = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        daemon.clock.advance(by: 30)
        let second = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-priya")
        #expect(first.json["already_acknowledged"] as? Bool == false)
        #expect(second.status == 200)
        #expect(second.json["already_acknowledged"] as? Bool == true)
        #expect(second.json["acknowledged_by"] as? String == "chen.wei")
        let kinds = try daemon.engine.store.timeline(1).map(\.kind)
        #expect(kinds.suffix(2) == [.acknowledged, .acknowledgedAgain])
        #expect(try daemon.engine.store.incident(1).acknowledgedBy == "chen.wei")
    }

    @Test(arguments: StoreBackend.all) func signedLinkAcknowledgesAndForgedOrExpiredLinksChangeNothing(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let link = try #require(daemon.listener.pages.first?.json["acknowledge_url"] as? String)
        let path = String(link[try #require(link.range(of: "/ack/")).lowerBound...])

        let page = await daemon.request("GET", path, token: nil)
        #expect(page.status == 200)
        #expect(page.text.contains("<form method=\"post\">"))
        #expect(try daemon.engine.store.incident(1).acknowledgedAt == nil, "opening the link must not acknowledge")

        let before = try daemon.snapshot()
        let forged = await daemon.request("POST", path.replacingOccurrences(of: "person=chen.wei", with: "person=li.na"), token: nil)
        #expect(forged.status == 403)
        #expect(forged.text.contains("not genuine"))
        daemon.clock.advance(by: 3601)
        let expired = await daemon.request("POST", path, token: nil)
        #expect(expired.status == 410)
        #expect(expired.text.contains("expired"))
        #expect(try daemon.snapshot() == before)

        let fresh = daemon.engine.rules.ackLinks.sign(incidentID: 1, personID: "chen.wei", now: daemon.clock.now()).url(baseURL: "")
        let acked = await daemon.request("POST", fresh, token: nil)
        #expect(acked.status == 200)
        #expect(try daemon.engine.store.incident(1).acknowledgedBy == "chen.wei")
        #expect(try daemon.engine.store.timeline(1).last?.detail["via"] == "link")
    }

    @Test(arguments: StoreBackend.all) func repeatedFiringAlertUpdatesInsteadOfDuplicatingAndResolvedClosesIt(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let start = daemon.clock.now()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        daemon.clock.advance(by: 10)
        let again = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        #expect(again.json["deduplicated"] as? Int == 1)
        #expect(again.json["opened_incidents"] as? [Int] == [])
        await daemon.runDue()
        #expect(try daemon.engine.store.incidents().count == 1)
        #expect(daemon.listener.pages.count == 1)

        let resolved = await daemon.postAlert(TestDaemon.alertJSON(status: "resolved", startsAt: start))
        #expect(resolved.json["resolved"] as? Int == 1)
        let kinds = try daemon.engine.store.timeline(1).map(\.kind)
        #expect(kinds.contains(.alertResolved))
        #expect(kinds.last == .escalationStopped)
        await daemon.advance(by: 3600)
        #expect(daemon.escalationPages.count == 1, "a resolved, unacknowledged incident stops escalating")

        // The same key firing again after it resolved is a new fault.
        let refire = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        #expect(refire.json["created"] as? Int == 1)
        #expect(refire.json["opened_incidents"] as? [Int] == [2])
    }

    @Test(arguments: StoreBackend.all) func severityRisesWithDurationAndOpensAnIncidentAtTheThreshold(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        // settlement is tier 2; medium urgency adds 1: SEV3, below the SEV2 threshold.
        let response = await daemon.postAlert(TestDaemon.alertJSON(key: "settle-late", service: "settlement", urgency: "medium", startsAt: daemon.clock.now(), scenario: "settlement"))
        #expect(response.json["opened_incidents"] as? [Int] == [])
        await daemon.advance(by: 15 * 60 - 1)
        #expect(try daemon.engine.store.incidents().isEmpty)
        await daemon.advance(by: 1)
        let incident = try #require(try daemon.engine.store.incidents().first)
        #expect(incident.severity == .sev2)
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
    }
}
