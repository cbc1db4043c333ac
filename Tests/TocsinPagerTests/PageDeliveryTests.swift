import Foundation
import Hummingbird
import Logging
import Testing
import TocsinCore
import TocsinHTTP
import TocsinPager
import TocsinTestSupport

/// Page delivery over real HTTP on 127.0.0.1: what a receiver gets, and how failures are classified.
@Suite struct PageDeliveryTests {
    static func startListener() async throws -> (PageListener, Int, Task<Void, any Error>) {
        let started = try await LoopbackListener.start()
        return (started.listener, started.port, started.running.task)
    }

    static func page(port: Int, key: String = "incident-1/step-0/chen.wei/webhook") -> OutboundPage {
        OutboundPage(id: 1, incidentID: 1, idempotencyKey: key, person: "chen.wei", channel: "webhook",
                     url: "http://127.0.0.1:\(port)/chen.wei", body: Data(#"{"incident_id":1}"#.utf8))
    }

    @Test func receiverGetsTheBodyAndTheIdempotencyKey() async throws {
        let (listener, port, task) = try await Self.startListener()
        defer { task.cancel() }
        // The receiver answers at once; the bound only ends a run that hangs, on a machine that
        // may be busy starting every other test.
        let result = await PageDelivery(timeout: .seconds(30)).deliver(Self.page(port: port))
        #expect(result.delivered)
        #expect(result.status == 200)
        let received = try #require(listener.pages.first)
        #expect(received.path == "/chen.wei")
        #expect(received.idempotencyKey == "incident-1/step-0/chen.wei/webhook")
        #expect(received.json["incident_id"] as? Int == 1)
        #expect(received.headers["content-type"] == "application/json")
    }

    @Test func serverErrorsAndSilenceAreRetriedOtherRefusalsAreFinal() async throws {
        let (listener, port, task) = try await Self.startListener()
        defer { task.cancel() }
        listener.failNext(with: [503, 429, 404])
        let delivery = PageDelivery(timeout: .seconds(30))
        let unavailable = await delivery.deliver(Self.page(port: port))
        let throttled = await delivery.deliver(Self.page(port: port))
        let notFound = await delivery.deliver(Self.page(port: port))
        #expect(!unavailable.delivered && unavailable.isRetryable && unavailable.error == "HTTP 503")
        #expect(!throttled.delivered && throttled.isRetryable)
        #expect(!notFound.delivered && !notFound.isRetryable && notFound.error == "HTTP 404")
        #expect(listener.pages.isEmpty)

        task.cancel()
        _ = try? await task.value
        let noAnswer = await PageDelivery(timeout: .seconds(2)).deliver(Self.page(port: port))
        #expect(noAnswer.status == nil)
        #expect(noAnswer.error != nil)
        #expect(noAnswer.isRetryable)
    }
}
