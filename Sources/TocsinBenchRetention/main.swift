import Foundation
import Logging
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinPager
import TocsinStore
import TocsinTestSupport

// Shows what retention does to the size of the SQLite file under a steady load: the same
// simulated days run twice, once keeping everything and once archiving what closed or
// resolved more than ARCHIVE_AFTER days ago, through the real store, engine (pages delivered
// by libcurl to a real receiver on 127.0.0.1) and retention pass, under a manual clock.
//
// Each day: ALERTS alerts that open no incident fire and resolve, in batches of 100, and
// INCIDENTS incidents open, are acknowledged, carried through the procedure to `closed`, and
// their alerts resolve.
//
// Usage: tocsin-bench-retention [--days 120] [--alerts 400] [--incidents 4] [--archive-after 30]

struct Options {
    var days = 120
    var alerts = 400
    var incidents = 4
    var archiveAfter = 30

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let name = iterator.next() {
            let value = Int(iterator.next() ?? "") ?? -1
            switch name {
            case "--days": days = max(1, min(1000, value))
            case "--alerts": alerts = max(0, min(10_000, value))
            case "--incidents": incidents = max(1, min(100, value))
            case "--archive-after": archiveAfter = max(1, min(365, value))
            default: FileHandle.standardError.write(Data("unknown option \(name)\n".utf8)); exit(64)
            }
        }
    }
}

let options = Options(CommandLine.arguments)
let logger: Logger = {
    var logger = Logger(label: "tocsin.bench")
    logger.logLevel = .critical
    return logger
}()
let day: TimeInterval = 86_400

func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func rules(receiverPort: Int, retention: Retention?) -> ResponseRules {
    let people = ["chen.wei", "priya.raman", "sam.okafor", "liu.yang", "li.na", "zhou.min", "maria.santos", "wang.fang", "zhang.lei", "vendor.dba"].map {
        Person(id: $0, name: $0, contactMethods: [ContactMethod(webhookURL: "http://127.0.0.1:\(receiverPort)/\($0)")])
    }
    let roster = Roster(people: people, roles: [
        .faultAnalyst: RoleHolders(primary: "chen.wei", backup: "priya.raman"), .technicalCoordinator: RoleHolders(primary: "sam.okafor", backup: "liu.yang"),
        .leadership: RoleHolders(primary: "li.na", backup: "zhou.min"), .business: RoleHolders(primary: "maria.santos", backup: "wang.fang"),
        .technicalExecutors: RoleHolders(primary: "zhang.lei", backup: "vendor.dba"),
    ])
    var rules = ResponseRules(
        severity: SeverityRules(serviceTiers: ["payments-core": 1, "reporting": 4], majorThreshold: .sev2),
        escalation: EscalationPolicies(default: EscalationPolicy(steps: [
            EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
            EscalationStep(delay: .seconds(300), targets: [.role(.faultAnalyst, .backup)]),
        ], ackTimeout: nil)),
        roster: roster, runbooks: [], ackLinks: AckLinkSigner(secret: "benchmark-secret-value"), publicURL: "http://127.0.0.1:8080",
        paging: PagingRules(retry: RetrySchedule(jitter: 0), rateLimit: .unlimited)
    )
    rules.retention = retention
    return rules
}

/// One incident from its alert to `closed`, its alert resolved.
func runIncident(_ engine: Engine, clock: ManualClock, key: String) async throws {
    let report = AlertReport(source: "bench", dedupKey: key, summary: "Card payments failing", service: "payments-core",
                             labels: ["urgency": "high"], startsAt: clock.now())
    let opened = try await engine.ingest([report])
    guard let id = opened.openedIncidents.first else { throw BenchError("alert \(key) opened no incident") }
    await engine.runDue()
    clock.advance(by: 60)
    _ = try engine.store.acknowledge(incidentID: id, by: "chen.wei", via: "api", rules: engine.rules, now: clock.now())
    let commands: [(ProcedureCommand, String)] = [
        (.advance(to: .assessing, closing: nil), "chen.wei"),
        (.assess(Assessment(faultStartedAt: clock.now().addingTimeInterval(-120), scope: "card payments", spread: "stable",
                            affectedServices: ["payments-core"], allBusinessAffected: false, initialCause: "gateway timeouts", recordedBy: "chen.wei")), "chen.wei"),
        (.recordPlan(rootCause: "gateway connection pool exhausted", steps: "raise pool; restart gateway"), "chen.wei"),
        (.approvePlan, "li.na"),
        (.advance(to: .recovering, closing: nil), "chen.wei"),
        (.recordOperation(action: "restarted gateway", result: "errors stopped"), "zhang.lei"),
        (.markServiceRestored, "chen.wei"),
        (.advance(to: .reconciling, closing: nil), "chen.wei"),
        (.reconcile(ReconciliationFigures(affectedTransactions: 120, amount: "8400.00", currency: "CNY", channels: ["UnionPay"], banks: ["ICBC"],
                                          discrepanciesFound: 2, discrepanciesResolved: 2)), "zhang.lei"),
        (.advance(to: .closed, closing: Closing(summary: "Gateway pool exhausted; raised.", followUps: ["Alert on pool use"])), "chen.wei"),
    ]
    for (command, actor) in commands {
        clock.advance(by: 60)
        _ = try await engine.perform(command, on: id, by: actor)
        await engine.runDue()
    }
    var resolved = report
    resolved.status = .resolved
    _ = try await engine.ingest([resolved])
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// Runs the load for `options.days` days; returns the file size (main file, WAL) after each day.
func run(retention on: Bool, receiverPort: Int) async throws -> (sizes: [(Int, Int)], archived: Int, files: Int, seconds: Double) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-bench-retention-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("tocsin.sqlite").path
    let store = try SQLiteIncidentStore(path: path)
    let clock = ManualClock()
    let retention = on ? Retention(archiveAfter: .seconds(Int64(options.archiveAfter) * 86_400), every: .seconds(3600),
                                   directory: folder.appendingPathComponent("archive").path) : nil
    let engine = Engine(store: store, rules: rules(receiverPort: receiverPort, retention: retention),
                        delivery: PageDelivery(timeout: .seconds(5), connectTimeout: .seconds(2)), clock: clock, logger: logger, random: { 0 })
    var sizes: [(Int, Int)] = []
    let started = ContinuousClock.now
    for dayIndex in 0..<options.days {
        for batch in stride(from: 0, to: options.alerts, by: 100) {
            let reports = (batch..<min(options.alerts, batch + 100)).map { index in
                AlertReport(source: "bench", dedupKey: "d\(dayIndex)-a\(index)", summary: "Report generation slow", service: "reporting",
                            labels: ["urgency": "low", "job": "nightly-\(index % 7)"], startsAt: clock.now())
            }
            _ = try await engine.ingest(reports)
            clock.advance(by: 30)
            _ = try await engine.ingest(reports.map { var resolved = $0; resolved.status = .resolved; return resolved })
        }
        for index in 0..<options.incidents {
            try await runIncident(engine, clock: clock, key: "d\(dayIndex)-i\(index)")
        }
        clock.advance(to: Date(timeIntervalSince1970: 1_800_000_000 + Double(dayIndex + 1) * day))
        await engine.runDue()
        sizes.append((fileSize(path), fileSize(path + "-wal")))
        if (dayIndex + 1) % 10 == 0 {
            say("  retention \(on ? "on" : "off"), day \(dayIndex + 1): \(sizes.last!.0 / 1024) KiB")
        }
    }
    let files = on ? ((try? FileManager.default.contentsOfDirectory(atPath: retention!.directory))?.count ?? 0) : 0
    let archived = try store.archivedIncidents().count
    engine.shutdown()
    return (sizes, archived, files, (ContinuousClock.now - started).seconds)
}

let receiver = PageListener()
let running = try await RunningApplication.start("the page receiver") { receiver.application(port: 0, logger: logger, onListening: $0) }
say("Retention benchmark: \(options.days) days of \(options.alerts) alerts and \(options.incidents) incidents a day, archive_after \(options.archiveAfter) days")
let off = try await run(retention: false, receiverPort: running.port)
let on = try await run(retention: true, receiverPort: running.port)
running.task.cancel()

func kib(_ bytes: Int) -> String { "\(bytes / 1024) KiB" }
say("\n| day | retention off: file | off: WAL | retention on: file | on: WAL |")
say("|---:|---:|---:|---:|---:|")
for index in stride(from: 9, to: options.days, by: 10) where index < off.sizes.count {
    say("| \(index + 1) | \(kib(off.sizes[index].0)) | \(kib(off.sizes[index].1)) | \(kib(on.sizes[index].0)) | \(kib(on.sizes[index].1)) |")
}
let settled = min(options.days - 1, options.archiveAfter + 10)
let growthOn = on.sizes.last!.0 - on.sizes[settled].0
let growthOff = off.sizes.last!.0 - off.sizes[settled].0
say("""

From day \(settled + 1) to day \(options.days): retention off grew \(kib(growthOff)), retention on \(kib(growthOn)).
Retention on archived \(on.archived) incidents into \(on.files) files. Runs took \(String(format: "%.0f", off.seconds)) s (off) and \(String(format: "%.0f", on.seconds)) s (on); \(receiver.pageCount) pages received.
""")
