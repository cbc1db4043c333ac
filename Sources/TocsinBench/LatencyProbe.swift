import Foundation
import Hummingbird
import Logging
import Synchronization
import TocsinPager

/// Measures alert-to-page latency: from the start of the POST that reports a new critical
/// alert to the moment its page (or webhook) reaches a receiver on 127.0.0.1.
final class LatencyProbe: Sendable {
    /// Arrivals nobody waits for yet, and who waits for which probe: one lock for both, so a
    /// page that arrives while its sender starts waiting is never missed.
    private struct Rendezvous {
        var arrivals: [String: ContinuousClock.Instant] = [:]
        var waiters: [String: CheckedContinuation<ContinuousClock.Instant, Never>] = [:]
    }
    private let rendezvous = Mutex(Rendezvous())
    private let received = Mutex(0)
    private let counts = Mutex<[String: Int]>([:])

    var requestsReceived: Int { received.withLock { $0 } }

    /// How many times each probe has arrived so far.
    var arrivalCounts: [String: Int] { counts.withLock { $0 } }

    /// Forgets what arrived so far.
    func reset() {
        counts.withLock { $0.removeAll() }
        rendezvous.withLock { $0.arrivals.removeAll() }
    }

    /// Starts the receiver and returns its port.
    func start() async throws -> Int {
        var logger = Logger(label: "bench.receiver")
        logger.logLevel = .critical
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let arrived = ContinuousClock.now
            let body = try await request.body.collect(upTo: 8 << 20)
            self.received.withLock { $0 += 1 }
            for id in Self.probeIDs(in: String(buffer: body)) { self.arrived(id, at: arrived) }
            return Response(status: .ok)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        Task { try await app.run() }
        for await port in ports { return port }
        throw BenchError("receiver did not start")
    }

    /// Probe ids look like `probe-<digits>`; pages and webhooks carry them in summaries or labels.
    static func probeIDs(in text: String) -> [String] {
        var ids: [String] = []
        var rest = text[...]
        while let range = rest.range(of: "probe-") {
            let digits = rest[range.upperBound...].prefix { $0.isNumber }
            if !digits.isEmpty { ids.append("probe-\(digits)") }
            rest = rest[range.upperBound...]
        }
        return ids
    }

    private func arrived(_ id: String, at instant: ContinuousClock.Instant) {
        counts.withLock { $0[id, default: 0] += 1 }
        let waiter = rendezvous.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                if state.arrivals[id] == nil { state.arrivals[id] = instant }
                return nil as CheckedContinuation<ContinuousClock.Instant, Never>?
            }
            return waiter
        }
        waiter?.resume(returning: instant)
    }

    /// Sends one probe with `send` and returns its latency, or nil if nothing arrived within 10 s.
    func measure(id: String, send: @Sendable () async -> Void) async -> Duration? {
        let started = ContinuousClock.now
        await send()
        let arrival: ContinuousClock.Instant? = await withTaskGroup(of: ContinuousClock.Instant?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let early = self.rendezvous.withLock { state in
                        guard let early = state.arrivals.removeValue(forKey: id) else {
                            state.waiters[id] = continuation
                            return nil as ContinuousClock.Instant?
                        }
                        return early
                    }
                    if let early { continuation.resume(returning: early) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil { self.rendezvous.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: ContinuousClock.now) }
            group.cancelAll()
            return first
        }
        return arrival.map { $0 - started }
    }
}

/// Percentiles of a set of durations, in milliseconds, and the first of them.
struct Percentiles {
    /// The first sample: for a server just started, its first alert.
    var first: Double
    var p50: Double
    var p99: Double
    var max: Double
    var count: Int

    init(_ samples: [Duration]) {
        let sorted = samples.map(\.milliseconds).sorted()
        count = sorted.count
        first = samples.first?.milliseconds ?? .nan
        func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
        p50 = at(0.5)
        p99 = at(0.99)
        max = sorted.last ?? .nan
    }
}

/// Sends new alerts at a steady rate in the background, for "latency under load".
final class BackgroundLoad: Sendable {
    private let task: Task<Int, Never>

    /// `rate` alerts a second in requests of `batch`, built by `body(first, count)`.
    init(rate: Int, batch: Int, url: String, headers: [String: String], body: @escaping @Sendable (Int, Int) -> Data) {
        task = Task {
            let interval = Duration.seconds(Double(batch) / Double(rate))
            var next = ContinuousClock.now
            var sent = 0
            await withTaskGroup(of: Void.self) { group in
                var inFlight = 0
                while !Task.isCancelled {
                    next += interval
                    let first = sent
                    sent += batch
                    if inFlight >= 64 { await group.next(); inFlight -= 1 }
                    inFlight += 1
                    group.addTask { _ = await HTTPTransfer(method: "POST", url: url, headers: headers, body: body(first, batch), timeout: .seconds(5)).send() }
                    try? await Task.sleep(until: next, clock: .continuous)
                }
            }
            return sent
        }
    }

    /// Stops and returns how many alerts were sent.
    func stop() async -> Int {
        task.cancel()
        return await task.value
    }
}
