import Foundation
import Hummingbird
import Logging
import Synchronization
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinConfig
import TocsinPager
import TocsinPostgres
import TocsinStore

// Measures how precisely Tocsin fires escalation deadlines and how many pages a second it
// delivers, through the real store, engine loop, libcurl transfers and a real receiver on
// 127.0.0.1, with the system clock.
//
// Phase 1: TIMERS incidents whose first escalation step falls due spread over WINDOW
// seconds; lateness = when the step's transaction committed - when it was due.
// Phase 2: PAGES incidents whose first step falls due at one moment; pages/s = PAGES / time from
// that moment until the receiver has them all.
//
// Usage: tocsin-bench-timers [--timers 100000] [--window 60] [--pages 20000] [--postgres postgres://USER@HOST:PORT/DB]
// With --postgres, the store is PostgreSQL (an empty database) instead of an SQLite file.

struct Options {
    var timers = 100_000
    var window = 60.0
    var pages = 20_000
    var postgres: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let name = iterator.next() {
            let value = iterator.next() ?? ""
            switch name {
            case "--timers": timers = max(1, min(1_000_000, Int(value) ?? timers))
            case "--window": window = max(1, min(600, Double(value) ?? window))
            case "--pages": pages = max(1, min(200_000, Int(value) ?? pages))
            case "--postgres": postgres = value
            default: FileHandle.standardError.write(Data("unknown option \(name)\n".utf8)); exit(64)
            }
        }
    }
}

func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

let options = Options(CommandLine.arguments)
var logger = Logger(label: "tocsin.bench")
logger.logLevel = .critical

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

// A receiver on loopback, deduplicating on Idempotency-Key like any well-behaved one.
let receiver = PageListener()
let (ports, portContinuation) = AsyncStream<Int>.makeStream()
let receiverApp = receiver.application(port: 0, logger: logger) { portContinuation.yield($0) }
let receiverTask = Task { try await receiverApp.run() }
var receiverPort = 0
for await port in ports { receiverPort = port; break }

let silent = ProcessInfo.processInfo.environment["TOCSIN_BENCH_NO_PAGES"] != nil
let oncall = Person(id: "bench.oncall", name: "Bench On-call", contactMethods: silent ? [] : [ContactMethod(webhookURL: "http://127.0.0.1:\(receiverPort)/bench.oncall")])
let rules = ResponseRules(
    severity: SeverityRules(serviceTiers: ["payments-core": 1], majorThreshold: .sev2),
    // Step 0 waits a second after the incident opens, so each one is a timer row (a first step
    // without delay pages inside the opening transaction instead).
    escalation: EscalationPolicies(default: EscalationPolicy(steps: [EscalationStep(delay: .seconds(1), targets: [.person("bench.oncall")])], ackTimeout: nil)),
    roster: Roster(people: [oncall], roles: [:]),
    runbooks: [],
    ackLinks: AckLinkSigner(secret: "bench-ack-link-secret-0123456789"),
    publicURL: "http://127.0.0.1:0",
    // One person takes every page here: no bundling, so every page is measured.
    paging: PagingRules(rateLimit: .unlimited)
)
let store: any IncidentStore
if let url = options.postgres {
    let address = try PostgresAddress(url: url, password: ProcessInfo.processInfo.environment[PostgresAddress.passwordVariable])
    store = try PostgresIncidentStore(instance: "bench", now: Date(), logger: logger,
                                      open: PostgresIncidentStore.connecting(to: address, logger: logger))
} else {
    store = try SQLiteIncidentStore(path: folder.appendingPathComponent("bench.sqlite").path)
}

func alerts(_ range: Range<Int>, prefix: String) -> [AlertReport] {
    range.map { index in
        AlertReport(source: "bench", dedupKey: "\(prefix)-\(index)", summary: "Bench fault \(index)", service: "payments-core",
                    labels: ["urgency": "high"], startsAt: Date())
    }
}

// Phase 1: schedule the timers. Each incident's step 0 is due a second after it opens, so
// opening incident i at T0 + offset(i) - 1 s schedules a timer due at T0 + offset(i). T0 leaves
// room for the inserts.
say("Scheduling \(options.timers) escalation timers due over \(Int(options.window)) s…")
let insertStarted = Date()
// Room for the inserts: PostgreSQL answers each statement over a socket, SQLite in the process.
// PostgreSQL takes them over four connections at once.
let lead = 10.0 + Double(options.timers) / (options.postgres == nil ? 1_500 : 700)
let firstDue = insertStarted.addingTimeInterval(lead)
let offsets = (0..<options.timers).map { _ in Double.random(in: 0..<options.window) }.sorted()
let chunks = stride(from: 0, to: options.timers, by: 1000).map { $0..<min(options.timers, $0 + 1000) }
let scheduled = Mutex(0)
DispatchQueue.concurrentPerform(iterations: options.postgres == nil ? 1 : 4) { lane in
    for range in chunks.enumerated().filter({ $0.offset % (options.postgres == nil ? 1 : 4) == lane }).map(\.element) {
        let batch = alerts(range, prefix: "t").enumerated().map { ($1, firstDue.addingTimeInterval(offsets[range.lowerBound + $0] - 1)) }
        do { _ = try store.ingest(timed: batch, rules: rules) } catch { say("scheduling failed: \(error)"); exit(1) }
        let done = scheduled.withLock { count in count += range.count; return count }
        if done % 20_000 == 0 { say("  \(done) scheduled (\(String(format: "%.1f", Date().timeIntervalSince(insertStarted))) s)") }
    }
}
let insertSeconds = Date().timeIntervalSince(insertStarted)
guard Date() < firstDue else {
    say("Scheduling took \(String(format: "%.1f", insertSeconds)) s, past the first due time; run with fewer --timers.")
    exit(1)
}

let lateness = Mutex<[Double]>([])
lateness.withLock { $0.reserveCapacity(options.timers + options.pages) }
let engine = Engine(store: store, rules: rules, delivery: PageDelivery(timeout: .seconds(10), connectTimeout: .seconds(2)), clock: SystemClock(),
                    logger: logger, concurrency: 64, onTimersFired: { batch, committedAt in
    lateness.withLock { values in
        for timer in batch where timer.kind == "escalation" { values.append(committedAt.timeIntervalSince(timer.dueAt) * 1000) }
    }
})
let engineTask = Task { await engine.run() }

say(String(format: "Scheduled in %.1f s; the first is due in %.1f s. Firing:", insertSeconds, firstDue.timeIntervalSinceNow))
let deadline = firstDue.addingTimeInterval(options.window + 60)
while lateness.withLock({ $0.count }) < options.timers, Date() < deadline {
    try await Task.sleep(for: .seconds(1))
    let fired = lateness.withLock { $0.count }
    if Date() > firstDue { say("  \(fired) fired, \(receiver.pageCount) pages received") }
}
let timerLateness = lateness.withLock { Array($0.prefix(options.timers)) }.sorted()
guard timerLateness.count == options.timers else {
    say("Only \(timerLateness.count) of \(options.timers) timers fired in time; giving up.")
    exit(1)
}
// Let phase 1's pages drain before measuring throughput on its own.
let drainDeadline = Date().addingTimeInterval(120)
while !silent, receiver.pageCount < options.timers, Date() < drainDeadline { try await Task.sleep(for: .milliseconds(100)) }
let phase1Pages = receiver.pageCount
guard phase1Pages >= options.timers else {
    // The burst's pages would be counted with the backlog's.
    say("Only \(phase1Pages) of the timer run's \(options.timers) pages arrived within 120 s of the last firing; the burst is not measured.")
    say(String(format: "| escalation timers fired | %d due over %d s | lateness p50 %.2f ms, p99 %.2f ms, max %.2f ms |", timerLateness.count,
               Int(options.window), percentile(timerLateness, 0.50), percentile(timerLateness, 0.99), timerLateness.last ?? .nan))
    exit(2)
}

// Phase 2: pages per second, from the moment PAGES first steps fall due to the last page received.
say("Opening \(options.pages) incidents whose first step falls due at one moment, and delivering their pages…")
// All their first steps are due at `burstDue`, after the inserts are done, so the figure is
// the engine's: firing, claiming, sending and recording, not the time to insert incidents.
let burstDue = Date().addingTimeInterval(3 + Double(options.pages) / (options.postgres == nil ? 2_000 : 400))
var opened = 0
while opened < options.pages {
    let end = min(options.pages, opened + 1000)
    _ = try store.ingest(timed: alerts(opened..<end, prefix: "p").map { ($0, burstDue.addingTimeInterval(-1)) }, rules: rules)
    opened = end
}
engine.poke()
guard Date() < burstDue else {
    say("Opening the incidents took past their due time; run with fewer --pages.")
    exit(1)
}
try await Task.sleep(for: .seconds(burstDue.timeIntervalSinceNow))
let burstStarted = burstDue
let target = phase1Pages + options.pages
let burstDeadline = Date().addingTimeInterval(180)
var lastReport = Date()
while !silent, receiver.pageCount < target, Date() < burstDeadline {
    try await Task.sleep(for: .milliseconds(20))
    if Date().timeIntervalSince(lastReport) >= 1 {
        lastReport = Date()
        say("  \(receiver.pageCount - phase1Pages) pages received")
    }
}
let burstSeconds = Date().timeIntervalSince(burstStarted)
let delivered = receiver.pageCount - phase1Pages
engineTask.cancel()
receiverTask.cancel()

let pagesPerSecond = Double(delivered) / burstSeconds
let p50 = percentile(timerLateness, 0.50), p99 = percentile(timerLateness, 0.99), worst = timerLateness.last ?? .nan
say("")
say("| measure | result | target |")
say("|---|---|---|")
say("| escalation timers fired | \(timerLateness.count) due over \(Int(options.window)) s | 100,000 |")
say(String(format: "| lateness p50 | %.2f ms | |", p50))
say(String(format: "| lateness p99 | %.2f ms | ≤ 10 ms |", p99))
say(String(format: "| lateness max | %.2f ms | |", worst))
say("| pages delivered during the timer run | \(phase1Pages) | |")
say(String(format: "| burst: pages delivered | %d in %.2f s | |", delivered, burstSeconds))
say(String(format: "| pages/s to a local receiver | %.0f | ≥ 2,000 |", pagesPerSecond))
say("| receiver duplicates | \(receiver.duplicates) | 0 |")
exit(p99 <= 10 && pagesPerSecond >= 2000 && delivered == options.pages ? 0 : 2)
