import Foundation
import Testing
import TocsinCore
import TocsinEngine
import TocsinTestSupport

/// The engine's loops running as in tocsind, where an incident's first pages start from the
/// commit that opened it and the delivery loop records them: each page arrives once, every
/// attempt is on the timeline, and an external person still hears after the internal one.
@Suite struct RunningEngineTests {
    @Test(arguments: StoreBackend.all) func firstPagesStartedByTheCommitArriveOnceAndAreRecorded(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(steps: [
                EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary), .role(.technicalExecutors, .backup)]),
            ], ackTimeout: nil))
        }
        defer { daemon.stop() }
        let engine = try #require(daemon.engine)
        let loops = Task { await engine.run() }
        defer { loops.cancel() }

        let incidents = 12
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<incidents {
                group.addTask {
                    _ = await daemon.postAlert(TestDaemon.alertJSON(key: "outage-\(index)", startsAt: daemon.clock.now()))
                }
            }
        }
        // Bounded waits for what runs on other threads; the clock never moves.
        let deadline = Date().addingTimeInterval(20)
        func sentEvents() throws -> Int {
            try (1...incidents).reduce(0) { $0 + (try daemon.events(.pageSent, incident: Int64($1)).count) }
        }
        while try daemon.listener.pages.count < 2 * incidents || sentEvents() < 2 * incidents, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }

        let pages = daemon.listener.pages
        #expect(pages.count == 2 * incidents, "one page for the analyst and one for the vendor, per incident")
        #expect(daemon.listener.duplicates == 0)
        #expect(Set(pages.compactMap(\.idempotencyKey)).count == 2 * incidents)
        #expect(try sentEvents() == 2 * incidents, "every attempt started by a commit is recorded")
        for incident in 1...incidents {
            let arrivals = pages.filter { $0.json["incident_id"] as? Int == incident }
            let analyst = try #require(arrivals.first { $0.path == "/chen.wei" })
            let vendor = try #require(arrivals.first { $0.path == "/vendor.dba" })
            #expect(vendor.arrivedAt >= analyst.arrivedAt, "incident \(incident): the external person hears after the internal one")
        }
    }

    /// The loops sleep until their next deadline; an opening wakes one only when it sets an
    /// earlier one. With the clock moved, the deadline's work arrives; a loop left asleep would
    /// never do it.
    @Test(arguments: StoreBackend.all) func aFirstStepThatWaitsIsTakenUpByTheSleepingTimerLoop(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(steps: [
                EscalationStep(delay: .seconds(30), targets: [.role(.faultAnalyst, .primary)]),
            ], ackTimeout: nil))
        }
        defer { daemon.stop() }
        let loops = Task { [engine = daemon.engine!] in await engine.run() }
        defer { loops.cancel() }
        // First with nothing due at all, then while the loop sleeps until the first incident's
        // update deadline, minutes away.
        for incident in 1...2 {
            _ = await daemon.postAlert(TestDaemon.alertJSON(key: "outage-\(incident)", startsAt: daemon.clock.now()))
            #expect(daemon.listener.pages.count == incident - 1, "step 0 waits 30 s")
            daemon.clock.advance(by: 30)
            try await Polling.until("incident \(incident)'s commander is paged", limit: .seconds(20), every: .milliseconds(10)) {
                daemon.listener.pages.contains { $0.json["incident_id"] as? Int == incident }
            }
        }
    }

    @Test(arguments: StoreBackend.all) func theTimerLoopSleepsUntilTheStepItsLastPassWroteAndFiresItThen(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(steps: [
                EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
                EscalationStep(delay: .seconds(30), targets: [.role(.faultAnalyst, .backup)]),
                EscalationStep(delay: .seconds(30), targets: [.role(.technicalExecutors, .backup)]),
            ], ackTimeout: nil))
        }
        defer { daemon.stop() }
        let loops = Task { [engine = daemon.engine!] in await engine.run() }
        defer { loops.cancel() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "outage", startsAt: daemon.clock.now()))
        try await Polling.until("the commander is paged", limit: .seconds(20), every: .milliseconds(10)) { daemon.listener.pages.count == 1 }
        // Each pass fires one step and writes the next: the loop learns of it from the pass itself.
        for paged in 2...3 {
            daemon.clock.advance(by: 30)
            try await Polling.until("step \(paged - 1) pages", limit: .seconds(20), every: .milliseconds(10)) { daemon.listener.pages.count == paged }
        }
    }

    @Test(arguments: StoreBackend.all) func anOpeningWhosePagesAllWaitIsTakenUpByTheSleepingDeliveryLoop(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, port in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(steps: [
                EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
            ], ackTimeout: nil))
            rules.roster.people["chen.wei"]?.contactMethods = [
                ContactMethod(channel: "sms", webhookURL: "http://127.0.0.1:\(port)/sms/chen.wei?text={message}", flavour: .sms, delay: .seconds(20)),
            ]
        }
        defer { daemon.stop() }
        let loops = Task { [engine = daemon.engine!] in await engine.run() }
        defer { loops.cancel() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        #expect(daemon.listener.pages.isEmpty, "the text message waits 20 s")
        daemon.clock.advance(by: 20)
        try await Polling.until("the text message arrives", limit: .seconds(20), every: .milliseconds(10)) {
            daemon.listener.pages.contains { $0.path.hasPrefix("/sms/chen.wei") }
        }
    }
}
