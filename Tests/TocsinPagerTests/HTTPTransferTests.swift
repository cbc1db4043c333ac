import Foundation
import Hummingbird
import Logging
import Testing
import TocsinCore
import TocsinHTTP
import TocsinPager
import TocsinTestSupport

/// libcurl transfers against real sockets on 127.0.0.1.
@Suite struct HTTPTransferTests {
    static func startListener() async throws -> (PageListener, Task<Void, any Error>, Int) {
        let started = try await LoopbackListener.start()
        return (started.listener, started.running.task, started.port)
    }

    @Test func pageIsPostedWithItsIdempotencyKeyAndBody() async throws {
        let (listener, task, port) = try await Self.startListener()
        defer { task.cancel() }
        let page = OutboundPage(id: 1, incidentID: 9, idempotencyKey: "incident-9/step-0/chen.wei/webhook", person: "chen.wei",
                                channel: "webhook", url: "http://127.0.0.1:\(port)/chen.wei", body: Data("{\"incident_id\":9}".utf8))
        let result = await PageDelivery().deliver(page)
        #expect(result.delivered)
        #expect(result.status == 200)
        let received = try #require(listener.pages.first)
        #expect(received.path == "/chen.wei")
        #expect(received.idempotencyKey == page.idempotencyKey)
        #expect(received.headers["content-type"] == "application/json")
        #expect(received.json["incident_id"] as? Int == 9)
    }

    @Test func serverErrorsAreRetryableAndClientErrorsAreNot() async throws {
        let (listener, task, port) = try await Self.startListener()
        defer { task.cancel() }
        listener.failNext(with: [503, 429, 404])
        let transfer = HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(port)/x", body: Data("{}".utf8))
        let unavailable = await transfer.deliver()
        let tooMany = await transfer.deliver()
        let notFound = await transfer.deliver()
        #expect(unavailable.status == 503 && !unavailable.delivered && unavailable.isRetryable)
        #expect(tooMany.status == 429 && tooMany.isRetryable)
        #expect(notFound.status == 404 && !notFound.isRetryable)
        #expect(notFound.error == "HTTP 404")
    }

    @Test func refusedConnectionIsAnErrorWorthRetrying() async throws {
        // A port held bound but not listening: nobody else can take it, and connecting is refused.
        let down = try LoopbackPort.reserve()
        defer { down.release() }
        let result = await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(down.port)/x", body: Data()).deliver()
        #expect(result.status == nil)
        #expect(result.error != nil)
        #expect(result.isRetryable)
    }

    @Test func silentServerHitsTheTotalTimeout() async throws {
        let socket = try SilentSocket()
        defer { socket.close() }
        let response = await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(socket.port)/x", body: Data("{}".utf8),
                                          connectTimeout: .seconds(1), timeout: .milliseconds(300)).send()
        #expect(response.status == nil)
        #expect(response.error?.contains("Timeout") == true)
    }
}

/// A listening socket that accepts nothing and answers nothing.
struct SilentSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) }
        }
        guard bound == 0, Glibc.listen(descriptor, 8) == 0 else { throw CancellationError() }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
