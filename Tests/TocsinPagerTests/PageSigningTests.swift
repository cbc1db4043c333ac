import Foundation
import Hummingbird
import Logging
import Testing
import TocsinCore
import TocsinHTTP
import TocsinPager
import TocsinTestSupport

/// Delivery against a real receiver on 127.0.0.1: signatures and Retry-After.
@Suite struct PageSigningTests {
    /// A running listener and its port; cancel the task to stop it.
    static func start(_ listener: PageListener) async throws -> (Int, Task<Void, any Error>) {
        let running = try await LoopbackListener.start(listener).running
        return (running.port, running.task)
    }

    static func page(port: Int, person: String = "chen.wei", body: String = #"{"incident_id":1}"#) -> OutboundPage {
        OutboundPage(id: 1, incidentID: 1, idempotencyKey: "incident-1/step-0/\(person)/webhook", person: person, channel: "webhook",
                     url: "http://127.0.0.1:\(port)/\(person)", body: Data(body.utf8))
    }

    @Test func signedPageIsVerifiedByTheReceiverAndAForgedOneIsRefused() async throws {
        let listener = PageListener(secret: "receiver-secret-0123456789")
        let (port, task) = try await Self.start(listener)
        defer { task.cancel() }

        let genuine = PageDelivery(secrets: ["chen.wei/webhook": "receiver-secret-0123456789"])
        let sent = await genuine.deliver(Self.page(port: port))
        #expect(sent.delivered, "error: \(sent.error ?? "-")")
        let received = try #require(listener.pages.first)
        let header = try #require(received.headers["x-tocsin-signature"])
        let timestamp = try #require(received.headers["x-tocsin-timestamp"])
        #expect(header.hasPrefix("t=\(timestamp),v1="))
        #expect(received.idempotencyKey == "incident-1/step-0/chen.wei/webhook")

        let wrongSecret = PageDelivery(secrets: ["li.na/webhook": "some-other-secret-0000000"])
        let refused = await wrongSecret.deliver(Self.page(port: port, person: "li.na"))
        #expect(refused.status == 401)
        #expect(!refused.isRetryable, "a 401 is the request's fault: never retried")
        let unsigned = await PageDelivery().deliver(Self.page(port: port, person: "sam.okafor"))
        #expect(unsigned.status == 401)
        #expect(listener.pages.count == 1)
        #expect(listener.rejected.count == 2)
        #expect(listener.rejected.first?.contains("does not match") == true)
        #expect(listener.rejected.last?.contains("no X-Tocsin-Signature") == true)
    }

    @Test func signatureCoversTimestampAndBody() {
        let body = Data(#"{"a":1}"#.utf8)
        let header = PageSignature.sign(body: body, secret: "s3cret-s3cret", timestamp: 1_800_000_000)
        let now = Date(timeIntervalSince1970: 1_800_000_010)
        #expect(PageSignature.problem(header: header, body: body, secret: "s3cret-s3cret", now: now) == nil)
        #expect(PageSignature.problem(header: header, body: Data(#"{"a":2}"#.utf8), secret: "s3cret-s3cret", now: now) == .mismatch)
        #expect(PageSignature.problem(header: header.replacingOccurrences(of: "t=1800000000", with: "t=1800000001"), body: body, secret: "s3cret-s3cret", now: now) == .mismatch)
        #expect(PageSignature.problem(header: header, body: body, secret: "s3cret-s3cret", now: now.addingTimeInterval(3600)) == .stale)
        #expect(PageSignature.problem(header: "v1=abc", body: body, secret: "s3cret-s3cret", now: now) == .malformed)
        // Known answer, computed independently: printf '1800000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret-s3cret
        #expect(header == "t=1800000000,v1=\(Self.knownHMAC)")
    }

    static let knownHMAC = "23864ec45704626bb4c51729ed2810dad43e0e685c381a535dff57760af2a2bb"

    @Test func retryAfterAnd429AreReadFromTheReceiver() async throws {
        let listener = PageListener()
        let (port, task) = try await Self.start(listener)
        defer { task.cancel() }
        listener.failNext(with: [429], retryAfter: "7")
        let limited = await PageDelivery().deliver(Self.page(port: port))
        #expect(limited.status == 429)
        #expect(limited.isRetryable)
        #expect(limited.retryAfter == .seconds(7))
        let next = await PageDelivery().deliver(Self.page(port: port))
        #expect(next.delivered)
    }

    @Test func connectionRefusedIsARetryableError() async throws {
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        let result = await PageDelivery(timeout: .seconds(2), connectTimeout: .seconds(1)).deliver(Self.page(port: 9))
        #expect(result.status == nil)
        #expect(result.error != nil)
        #expect(result.isRetryable)
    }
}
