import Foundation
import TocsinCore
import TocsinStore

/// Measures exporting an incident with a long timeline, in every format: what a reviewer
/// waits for. Run with `make bench-export`.
@main
struct ExportBenchmark {
    static func main() throws {
        let eventTarget = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 10_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-bench-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: folder.appendingPathComponent("tocsin.sqlite").path)
        let roster = Roster(
            people: ["chen.wei", "priya.raman", "sam.okafor", "liu.yang", "li.na", "zhou.min", "maria.santos", "wang.fang", "zhang.lei", "vendor.dba"]
                .map { Person(id: $0, name: $0, contactMethods: [ContactMethod(webhookURL: "http://127.0.0.1:9/\($0)")]) },
            roles: [.faultAnalyst: RoleHolders(primary: "chen.wei", backup: "priya.raman"), .technicalCoordinator: RoleHolders(primary: "sam.okafor", backup: "liu.yang"),
                    .leadership: RoleHolders(primary: "li.na", backup: "zhou.min"), .business: RoleHolders(primary: "maria.santos", backup: "wang.fang"),
                    .technicalExecutors: RoleHolders(primary: "zhang.lei", backup: "vendor.dba")]
        )
        let rules = ResponseRules(
            severity: SeverityRules(serviceTiers: ["payments-core": 1]), escalation: EscalationPolicies(default: EscalationPolicy(steps: [EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)])])),
            roster: roster, runbooks: [], ackLinks: AckLinkSigner(secret: "benchmark-secret-value"), publicURL: "http://127.0.0.1:8080"
        )
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try store.ingest([AlertReport(source: "bench", dedupKey: "bench", summary: "Benchmark outage", service: "payments-core",
                                          labels: ["urgency": "high"], startsAt: now)], rules: rules, now: now)
        let actors = ["chen.wei", "zhang.lei", "sam.okafor", "li.na"]
        var written = try store.timeline(1).count
        let fillStarted = ContinuousClock.now
        while written < eventTarget - 1 {
            now += 1
            _ = try store.apply(.note("Operation log entry \(written): checked channel health, all green"), to: 1, by: actors[written % actors.count], rules: rules, now: now)
            written += 1
            if written % 1000 == 0 { print("\rwriting timeline: \(written)/\(eventTarget) events", terminator: ""); fflush(nil) }
        }
        print("\rwrote \(written) events in \((ContinuousClock.now - fillStarted).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))          ")

        var rows: [[String]] = []
        for format in ExportFormat.allCases {
            var timings: [(total: Duration, read: Duration, build: Duration, render: Duration)] = []
            var bytes = 0
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let (incident, record, events) = try store.recordExport(of: 1, by: "li.na", format: format.rawValue, now: now)
                let read = ContinuousClock.now
                let export = IncidentExport(incident: incident, record: record, events: events, runbook: nil, roster: roster,
                                            viewer: TimeZone(identifier: "Asia/Shanghai")!, exportedBy: "li.na", exportedAt: now)
                let built = ContinuousClock.now
                bytes = try export.rendered(as: format).count
                let done = ContinuousClock.now
                timings.append((done - started, read - started, built - read, done - built))
            }
            timings.sort { $0.total < $1.total }
            let median = timings[timings.count / 2]
            let ms = { (d: Duration) in String(format: "%.0f ms", d.seconds * 1000) }
            rows.append([format.rawValue, "\(written + 1)+", ms(median.total), ms(median.read), ms(median.build), ms(median.render), ms(timings.last!.total),
                         "\(bytes / 1024) KiB", timings.last!.total < .seconds(1) ? "yes" : "NO"])
        }
        print("\n| format | events | median of 5 | read | build | render | slowest of 5 | size | under 1 s |")
        print("|---|---|---|---|---|---|---|---|---|")
        for row in rows { print("| " + row.joined(separator: " | ") + " |") }
    }
}
