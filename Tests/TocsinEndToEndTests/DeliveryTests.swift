import Foundation
import Hummingbird
import Testing
import TocsinCore
import TocsinHTTP
import TocsinTestSupport

/// Delivery as a receiver sees it: long outages, Retry-After, flooding.
@Suite struct DeliveryTests {
    static let commanderOnly = EscalationPolicies(default: EscalationPolicy(steps: [EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)])], ackTimeout: nil))

    @Test(arguments: StoreBackend.all) func receiverDownForHoursThenBackGetsThePageOnceAfterBackoff(_ backend: StoreBackend) async throws {
        let down = try LoopbackPort.reserve()
        let downPort = down.port
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.commanderOnly
            rules.roster.people["chen.wei"]?.contactMethods = [ContactMethod(webhookURL: "http://127.0.0.1:\(downPort)/chen.wei")]
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        // Three hours with nobody listening, time moving a minute at a time.
        await daemon.advance(by: 3 * 3600, inStepsOf: 60)
        let failures = try daemon.events(.pageFailed)
        try #require(failures.count >= 40)
        #expect(failures.allSatisfy { $0.detail["status"] == nil && $0.detail["error"] != nil && $0.detail["final"] == nil })
        #expect(failures.map { $0.detail["attempt"] } == (1...failures.count).map { "\($0)" })
        // Backoff: the gaps grow, then stay at the five-minute cap (up to the minute steps).
        let gaps = zip(failures, failures.dropFirst()).map { $1.at.timeIntervalSince($0.at) }
        #expect(gaps.allSatisfy { $0 <= 360 })
        #expect(gaps.suffix(10).allSatisfy { $0 >= 240 })

        // The receiver comes back on the same port.
        down.release()
        let receiver = PageListener()
        let running = try await RunningApplication.start("the receiver, back") {
            receiver.application(port: downPort, logger: TestDaemon.quietLogger, onListening: $0)
        }
        defer { running.task.cancel() }
        await daemon.advance(by: 600, inStepsOf: 60)
        #expect(receiver.pages.count == 1)
        #expect(receiver.pages.first?.idempotencyKey == "incident-1/step-0/chen.wei/webhook")
        #expect(receiver.duplicates == 0)
        #expect(try daemon.events(.pageSent).filter { $0.detail["person"] == "chen.wei" }.count == 1)
        await daemon.advance(by: 3600, inStepsOf: 300)
        #expect(receiver.requests == 1, "nothing more after it is delivered")
    }

    @Test(arguments: StoreBackend.all) func retryAfterIsHonoured(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.escalation = Self.commanderOnly }
        defer { daemon.stop() }
        daemon.listener.failNext(with: [429], retryAfter: "120")
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 119.9)
        #expect(daemon.escalationPages.isEmpty)
        await daemon.advance(by: 0.1)
        #expect(daemon.escalationPages.count == 1)
        let failed = try #require(try daemon.events(.pageFailed).first)
        #expect(failed.detail["status"] == "429" && failed.detail["retry_after_s"] == "120")
    }

    @Test(arguments: StoreBackend.all) func otherClientErrorsAreNotRetried(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.escalation = Self.commanderOnly }
        defer { daemon.stop() }
        daemon.listener.failNext(with: [404])
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 3600)
        #expect(try daemon.events(.pageFailed).map { $0.detail["final"] } == ["true"])
        #expect(try daemon.events(.pageFailed).first?.detail["status"] == "404")
        #expect(!daemon.listener.pages.contains { $0.path == "/chen.wei" }, "never tried again")
    }

    @Test(arguments: StoreBackend.all) func aFloodedPersonGetsOneBundleWhenTheRateLimitHasRoomAgain(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.commanderOnly
            rules.paging.rateLimit = RateLimit(messages: 2, per: .seconds(60))
        }
        defer { daemon.stop() }
        for key in ["a", "b"] {
            _ = await daemon.postAlert(TestDaemon.alertJSON(key: key, startsAt: daemon.clock.now()))
            await daemon.runDue()
        }
        daemon.clock.advance(by: 10)
        for key in ["c", "d", "e"] {
            _ = await daemon.postAlert(TestDaemon.alertJSON(key: key, startsAt: daemon.clock.now()))
        }
        await daemon.runDue()
        #expect(daemon.escalationPages.count == 2, "the limit is used up: the next pages wait")
        await daemon.advance(by: 49.999)
        #expect(daemon.escalationPages.count == 2)
        await daemon.advance(by: 0.001)
        #expect(daemon.escalationPages.count == 3)
        let bundle = try #require(daemon.escalationPages.last)
        #expect(bundle.json["bundle"] as? Bool == true)
        #expect((bundle.json["pages"] as? [[String: Any]])?.compactMap { $0["incident_id"] as? Int } == [3, 4, 5])
        #expect(bundle.idempotencyKey?.hasPrefix("bundle/chen.wei/webhook/") == true)
        for incident in Int64(3)...5 {
            #expect(try daemon.events(.pageBundled, incident: incident).count == 1)
            #expect(try daemon.events(.pageSent, incident: incident).first?.detail["bundle"] == bundle.idempotencyKey)
        }
        #expect(daemon.listener.duplicates == 0)
    }
}
