import Foundation
import Testing
import TocsinCore

/// Timers and the outbox are rows: a restart loses nothing and pages nobody twice.
@Suite struct RestartTests {
    @Test(arguments: StoreBackend.all) func restartInTheMiddleOfAnEscalationLosesNothingAndPagesNobodyTwice(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "a", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "b", startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.listener.pages.count == 2)
        let eventsBefore = try daemon.engine.store.timeline(1).count

        await daemon.stopServer()
        // While the daemon is down, the backup's deadline passes.
        daemon.clock.advance(by: 400)
        try await daemon.startServer()
        await daemon.runDue()

        #expect(try daemon.engine.store.incidents().count == 2)
        #expect(try daemon.engine.store.timeline(1).count > eventsBefore)
        let paths = daemon.listener.pages.map(\.path)
        #expect(paths.filter { $0 == "/chen.wei" }.count == 2, "one first page per incident, not repeated after the restart")
        #expect(paths.filter { $0 == "/priya.raman" }.count == 2, "the overdue backup step fired at once on start")
        #expect(daemon.listener.duplicates == 0)
        // The overdue step is recorded at its due time, not at the restart.
        let escalated = try #require(try daemon.engine.store.timeline(1).first { $0.kind == .escalated })
        #expect(escalated.at == (try daemon.engine.store.incident(1).openedAt).addingTimeInterval(300))
    }

    @Test(arguments: StoreBackend.all) func pageQueuedButNotDeliveredBeforeAStopIsDeliveredOnceAfterRestart(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        // Fire the timer (page queued in the outbox) but stop before delivering it.
        try daemon.engine.store.fireDueTimers(rules: daemon.engine.rules, now: daemon.clock.now())
        #expect(daemon.listener.pages.isEmpty)
        await daemon.stopServer()
        try await daemon.startServer()
        await daemon.runDue()
        await daemon.runDue()
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
        #expect(try daemon.engine.store.timeline(1).filter { $0.kind == .pageSent }.count == 1)
    }

    @Test(arguments: StoreBackend.all) func receiverDownThenBackGetsThePageAfterBackoff(_ backend: StoreBackend) async throws {
        // One step only, so there is nobody to pass over to: the commander's page just retries.
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(steps: [EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)])], ackTimeout: nil))
        }
        defer { daemon.stop() }
        daemon.listener.failNext(with: [503, 503])
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.listener.pages.isEmpty)
        await daemon.advance(by: 1)
        #expect(daemon.listener.pages.isEmpty)
        await daemon.advance(by: 2)
        #expect(daemon.listener.pages.count == 1)
        let attempts = try daemon.engine.store.timeline(1).filter { [.pageSent, .pageFailed].contains($0.kind) }
        #expect(attempts.map(\.kind) == [.pageFailed, .pageFailed, .pageSent])
        #expect(attempts.map { $0.detail["status"] } == ["503", "503", "200"])
    }
}
