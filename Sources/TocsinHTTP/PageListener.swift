import Foundation
import Hummingbird
import Logging
import Synchronization
import TocsinCore

/// A local webhook receiver that prints and keeps every page it gets.
///
/// `tocsin listen` runs it so a new user sees pages without any outside service, and the
/// tests use it as a real receiver. It drops a repeat of an `Idempotency-Key` it has
/// already seen, as a well-behaved receiver should, but counts it. Given a secret, it
/// verifies each page's `X-Tocsin-Signature` and refuses (401) any that does not match.
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
        var nextStatus: [(status: Int, retryAfter: String?)] = []
        var down: Int?
        var holds: [Duration] = []
        var rejected: [String] = []
        var requests = 0
    }

    private let state = Mutex(State())
    private let onPage: @Sendable (Received) -> Void
    private let secret: String?

    /// `secret`, when given, is the signing secret every page must be signed with.
    public init(secret: String? = nil, onPage: @escaping @Sendable (Received) -> Void = { _ in }) {
        self.secret = secret
        self.onPage = onPage
    }

    /// Requests refused for a bad signature, with the reason.
    public var rejected: [String] { state.withLock { $0.rejected } }
    /// Every request that reached the receiver, pages, duplicates, failures and refusals.
    public var requests: Int { state.withLock { $0.requests } }

    /// Keeps the next requests (after recording them) waiting this long before answering,
    /// like a receiver that is slow to confirm.
    public func holdNext(_ durations: [Duration]) {
        state.withLock { $0.holds.append(contentsOf: durations) }
    }

    /// Pages received, duplicates left out, in arrival order.
    public var pages: [Received] { state.withLock { $0.pages } }
    /// How many pages have arrived, duplicates left out (cheaper than `pages.count`).
    public var pageCount: Int { state.withLock { $0.pages.count } }
    /// Requests dropped because their idempotency key had been seen.
    public var duplicates: Int { state.withLock { $0.duplicates } }

    /// Makes every request fail with `status`, like a receiver that is down, until called with nil.
    public func failEvery(with status: Int?) {
        state.withLock { $0.down = status }
    }

    /// Makes the next requests fail with these HTTP statuses, in order, before accepting again.
    public func failNext(with statuses: [Int], retryAfter: String? = nil) {
        state.withLock { $0.nextStatus.append(contentsOf: statuses.map { ($0, retryAfter) }) }
    }

    public func application(host: String = "127.0.0.1", port: Int, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(path: request.uri.path, idempotencyKey: headers["idempotency-key"],
                                    headers: headers, body: Data(buffer: body), arrivedAt: Date())
            let (status, retryAfter, hold) = self.accept(received)
            if let hold { try? await Task.sleep(for: hold) }
            var fields = HTTPFields()
            if let retryAfter { fields[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: fields)
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "tocsin-listen"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    private func accept(_ received: Received) -> (Int, String?, Duration?) {
        let problem = secret.flatMap { secret in
            PageSignature.problem(header: received.headers[PageSignature.header.lowercased()], body: received.body, secret: secret, now: Date())
        }
        let (status, retryAfter, hold, isNew) = state.withLock { state -> (Int, String?, Duration?, Bool) in
            state.requests += 1
            if let problem {
                state.rejected.append(problem.description)
                return (401, nil, nil, false)
            }
            if let down = state.down {
                return (down, nil, nil, false)
            }
            if !state.nextStatus.isEmpty {
                let next = state.nextStatus.removeFirst()
                return (next.status, next.retryAfter, nil, false)
            }
            let hold = state.holds.isEmpty ? nil : state.holds.removeFirst()
            if let key = received.idempotencyKey, !state.seenKeys.insert(key).inserted {
                state.duplicates += 1
                return (200, nil, hold, false)
            }
            state.pages.append(received)
            return (200, nil, hold, true)
        }
        if isNew { onPage(received) }
        return (status, retryAfter, hold)
    }
}
