import Foundation
import Testing
import TocsinCore

/// Heartbeats: a missed check-in raises an alert through the same path as any other, on the
/// deadline and not before, and survives a restart because the deadline is a timer row.
@Suite struct HeartbeatTests {
    static func checkIn(_ daemon: TestDaemon, _ name: String = "pipeline", token: String = "token-prometheus") async -> Int? {
        await daemon.request("POST", "/api/v1/heartbeats/\(name)", token: token).status
    }

    @Test(arguments: StoreBackend.all) func missedCheckInRaisesAnAlertAtTheDeadlineAndALateCheckInResolvesIt(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        // Declared but never checked in: waiting, not missed.
        await daemon.advance(by: 3600)
        #expect(try daemon.engine.store.alerts().isEmpty)

        #expect(await Self.checkIn(daemon) == 200)
        let checkedInAt = daemon.clock.now()
        await daemon.advance(by: 100)
        #expect(await Self.checkIn(daemon) == 200)
        await daemon.advance(by: 119.999)
        #expect(try daemon.engine.store.alerts().isEmpty, "the deadline is one interval after the last check-in")
        await daemon.advance(by: 0.001)

        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.report.dedupKey == "heartbeat:pipeline")
        #expect(alert.report.startsAt == checkedInAt.addingTimeInterval(220))
        #expect(alert.report.details["last_check_in_at"] == UTCTime.string(checkedInAt.addingTimeInterval(100)))
        #expect(alert.severity == .sev1)
        let incident = try #require(try daemon.engine.store.incidents().first)
        #expect(incident.title == "Heartbeat pipeline missed: no check-in for 2m")
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])

        let status = await daemon.request("GET", "/api/v1/heartbeats", token: "token-chen")
        let listed = try #require((try JSONSerialization.jsonObject(with: status.body) as? [[String: Any]])?.first)
        #expect(listed["missed"] as? Bool == true)
        #expect(listed["due_at"] == nil || listed["due_at"] is NSNull, "no deadline runs while the alert fires")

        await daemon.advance(by: 30)
        #expect(await Self.checkIn(daemon) == 200)
        #expect(try daemon.engine.store.alerts(status: .firing).isEmpty)
        await daemon.advance(by: 119.999)
        let kinds = try daemon.engine.store.timeline(incident.id).map(\.kind)
        #expect(kinds.suffix(2) == [.alertResolved, .escalationStopped])
        #expect(daemon.listener.pages.count == 1, "the check-in resolved the alert and stopped the escalation")
        // The check-in armed a new deadline: missing it again is a new alert and a new incident.
        await daemon.advance(by: 0.001)
        #expect(try daemon.engine.store.alerts(status: .firing).count == 1)
        #expect(try daemon.engine.store.incidents().count == 2)
    }

    @Test(arguments: StoreBackend.all) func deadlineSurvivesARestartAndAnOverdueOneFiresAtOnce(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        #expect(await Self.checkIn(daemon) == 200)
        await daemon.stopServer()
        daemon.clock.advance(by: 500)
        try await daemon.startServer()
        await daemon.runDue()
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.report.startsAt == daemon.clock.now().addingTimeInterval(-380), "the fault started at the deadline")
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"], "paging starts with the primary when tocsind learns of it")
    }

    @Test(arguments: StoreBackend.all) func checkInNeedsAnIntegrationAndADeclaredHeartbeat(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let unknown = await daemon.request("POST", "/api/v1/heartbeats/nightly-batch", token: "token-prometheus")
        #expect(unknown.status == 404)
        #expect((unknown.json["detail"] as? String)?.contains("Declared: pipeline") == true)
        let person = await daemon.request("POST", "/api/v1/heartbeats/pipeline", token: "token-chen")
        #expect(person.status == 403)
        let anonymous = await daemon.request("POST", "/api/v1/heartbeats/pipeline", token: nil)
        #expect(anonymous.status == 401)
        #expect(try daemon.snapshot() == before)
    }
}
