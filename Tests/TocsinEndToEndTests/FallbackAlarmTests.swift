import Foundation
import Logging
import Testing
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinPager
import TocsinTestSupport

/// When Tocsin itself cannot work, the fallback contacts hear of it at once, again while it
/// lasts, and when it ends, without the record being involved.
@Suite struct FallbackAlarmTests {
    @Test(arguments: StoreBackend.all) func raisedRepeatedAndRecoveredToEveryFallbackContact(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let receiver = "http://127.0.0.1:\(daemon.listenerPort)"
        let watch = FallbackWatch(engine: daemon.engine, settings: FallbackSettings(contacts: [
            ContactMethod(webhookURL: "\(receiver)/fallback"),
            ContactMethod(channel: "slack", webhookURL: "\(receiver)/slack-fallback", flavour: .slack),
        ], repeatEvery: .seconds(300)), delivery: PageDelivery(timeout: .seconds(5)),
           logger: Logger(label: "tocsin.test", factory: { _ in SwiftLogNoOpLogHandler() }))
        func fallbackPages() -> [PageListener.Received] { daemon.listener.pages.filter { $0.path.hasSuffix("fallback") } }

        #expect(await watch.check() == nil, "all is well: nothing is sent")
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        // The backup step falls 60 s overdue with no engine pass: the daemon is not keeping up.
        daemon.clock.advance(by: 360)
        #expect(await watch.check()?.kind == .raised)
        let raised = fallbackPages()
        #expect(raised.map(\.path).sorted() == ["/fallback", "/slack-fallback"])
        let json = try #require(raised.first { $0.path == "/fallback" }).json
        #expect(json["kind"] as? String == "tocsin_fallback_raised")
        #expect((json["reasons"] as? [String])?.first?.contains("has not fired (60 s late)") == true, "\(json)")
        let slack = try #require(raised.first { $0.path == "/slack-fallback" }).json
        #expect((slack["text"] as? String)?.hasPrefix("TOCSIN ITSELF IS FAILING since") == true, "\(slack)")

        #expect(await watch.check() == nil, "not again before the repeat interval")
        daemon.clock.advance(by: 299)
        #expect(await watch.check() == nil)
        daemon.clock.advance(by: 1)
        #expect(await watch.check()?.kind == .repeated)

        await daemon.runDue()
        #expect(await watch.check()?.kind == .recovered)
        #expect(await watch.check() == nil, "recovered once")
        let sent = fallbackPages().filter { $0.path == "/fallback" }
        #expect(sent.map { $0.json["kind"] as? String } == ["tocsin_fallback_raised", "tocsin_fallback_repeated", "tocsin_fallback_recovered"])
        #expect(Set(sent.compactMap(\.idempotencyKey)).count == 3, "each message under a key of its own")
        #expect(daemon.listener.duplicates == 0)

        let record = await daemon.request("GET", "/api/v1/system/events?limit=2", token: "token-chen")
        let events = try #require(try JSONSerialization.jsonObject(with: record.body) as? [[String: Any]], "\(record.text)")
        #expect(events.map { $0["kind"] as? String } == ["fallback_repeated", "fallback_recovered"], "the last two, oldest first")
        #expect((events.first?["detail"] as? [String: String])?["contacts"] == "webhook #1 delivered; slack #2 delivered", "\(record.text)")
        #expect(await daemon.request("GET", "/api/v1/system/events?limit=0", token: "token-chen").status == 400)
        #expect(await daemon.request("GET", "/api/v1/system/events", token: nil).status == 401)
    }

    @Test(arguments: StoreBackend.all) func pagesFailingForEveryoneRaiseTheFallbackUntilOneGetsThrough(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        // The fallback contact has a receiver of its own; everyone else's is down.
        let (watch, fallback, receiver) = try await Self.watchWithReceiverOfItsOwn(daemon.engine)
        defer { receiver.task.cancel() }

        daemon.listener.failEvery(with: 503)
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        while daemon.listener.requests < DeliveryHealth.failureLimit {
            daemon.clock.advance(by: 5)
            await daemon.runDue()
        }
        let raised = try #require(await watch.check())
        #expect(raised.kind == .raised)
        let reason = try #require(raised.reasons.first)
        #expect(reason.hasPrefix("every page attempt since") && reason.contains("HTTP 503"), "\(raised.reasons)")
        let readiness = await daemon.request("GET", "/readyz", token: nil)
        #expect(readiness.status == 503 && readiness.text.contains("every page attempt since"), "\(readiness.text)")

        // The receiver answers again: the next retry gets through and the alarm ends.
        daemon.listener.failEvery(with: nil)
        daemon.clock.advance(by: 10)
        await daemon.runDue()
        #expect(!daemon.listener.pages.isEmpty, "the page got through")
        #expect(await watch.check()?.kind == .recovered)
        #expect(fallback.pages.map { $0.json["kind"] as? String } == ["tocsin_fallback_raised", "tocsin_fallback_recovered"])
    }

    static let quiet = Logger(label: "tocsin.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A fallback watch on `engine` whose one contact, a webhook, reaches a receiver of its own.
    static func watchWithReceiverOfItsOwn(_ engine: Engine, repeatEvery: Duration = .seconds(300)) async throws
        -> (FallbackWatch, PageListener, RunningApplication) {
        let fallback = PageListener()
        let receiver = try await LoopbackListener.start(fallback, named: "the fallback receiver").running
        let watch = FallbackWatch(engine: engine, settings: FallbackSettings(contacts: [ContactMethod(webhookURL: "http://127.0.0.1:\(receiver.port)/fallback")],
                                                                          repeatEvery: repeatEvery),
                                  delivery: PageDelivery(timeout: .seconds(30)), logger: quiet)
        return (watch, fallback, receiver)
    }
}
