import Foundation
import Hummingbird
import Logging
import Synchronization

/// A local webhook receiver that prints and keeps every page it gets.
///
/// `tocsin listen` runs it so a new user sees pages without any outside service, and the
/// tests use it as a real receiver. It drops a repeat of an `Idempotency-Key` it has
/// already seen, as a well-behaved receiver should, but counts it.
public final class PageListener: Sendable {
    /// One request as it arrived.
    public struct Received: Sendable {
        public var path: String
        public var idempotencyKey: String?
        public var headers: [String: String]
        public var body: Data
        public var arrivedAt: Date

        /// The body decoded as a JSON object, or empty.
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
    }

    private struct State {
        var pages: [Received] = []
        var duplicates = 0
        var seenKeys: Set<String> = []
        var nextStatus: [Int] = []
    }

    private let state = Mutex(State())
    private let onPage: @Sendable (Received) -> Void

    public init(onPage: @escaping @Sendable (Received) -> Void = { _ in }) {
        self.onPage = onPage
    }

    /// Pages received, duplicates left out, in arrival order.
    public var pages: [Received] { state.withLock { $0.pages } }
    /// Requests dropped because their idempotency key had been seen.
    public var duplicates: Int { state.withLock { $0.duplicates } }

    /// Makes the next requests fail with these HTTP statuses, in order, before accepting again.
    public func failNext(with statuses: [Int]) {
        state.withLock { $0.nextStatus.append(contentsOf: statuses) }
    }

    public func application(host: String = "127.0.0.1", port: Int, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(path: request.uri.path, idempotencyKey: headers["idempotency-key"],
                                    headers: headers, body: Data(buffer: body), arrivedAt: Date())
            return Response(status: .init(code: self.accept(received)))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "tocsin-listen"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private func accept(_ received: Received) -> Int {
        let (status, isNew) = state.withLock { state -> (Int, Bool) in
            if !state.nextStatus.isEmpty { return (state.nextStatus.removeFirst(), false) }
            if let key = received.idempotencyKey, !state.seenKeys.insert(key).inserted {
                state.duplicates += 1
                return (200, false)
            }
            state.pages.append(received)
            return (200, true)
        }
        if isNew { onPage(received) }
        return status
    }
}
