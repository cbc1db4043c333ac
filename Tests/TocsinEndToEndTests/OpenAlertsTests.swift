import Foundation
import GRDB
import Testing
import TocsinCore
import TocsinStore

/// Which alert a report with a known key is folded into, now that open alerts are looked up
/// in memory: across a restart, after a rolled-back batch, and once resolved.
@Suite struct OpenAlertsTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-open-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("tocsin.sqlite").path }
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let rules = ResponseRules.quiet

    func report(_ key: String, _ status: AlertStatus = .firing) -> AlertReport {
        AlertReport(source: "test", dedupKey: key, summary: "disk usage high", service: "reporting",
                    labels: ["urgency": "low"], status: status, startsAt: now)
    }

    func receiveCounts(_ store: any IncidentStore) throws -> [String: Int] {
        Dictionary(try store.alerts().map { ($0.report.dedupKey, $0.receiveCount) }, uniquingKeysWith: +)
    }

    @Test func aRepeatAfterARestartIsFoldedIntoTheOpenAlert() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let store = try SQLiteIncidentStore(path: path)
            #expect(try store.ingest([report("disk-full"), report("cpu-hot")], rules: rules, now: now).created == 2)
            #expect(try store.ingest([report("cpu-hot", .resolved)], rules: rules, now: now).resolved == 1)
        }
        let reopened = try SQLiteIncidentStore(path: path)
        let outcome = try reopened.ingest([report("disk-full"), report("cpu-hot", .resolved)], rules: rules, now: now.addingTimeInterval(60))
        #expect(outcome.deduplicated == 1, "the firing alert was known after the restart")
        #expect(outcome.ignored == 1, "the resolved one was not")
        #expect(try receiveCounts(reopened) == ["disk-full": 2, "cpu-hot": 1])
    }

    @Test func aRolledBackBatchLeavesNoAlertBehindToFoldInto() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_poison BEFORE INSERT ON alert WHEN NEW.dedup_key = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let results = try store.ingest(batches: [[report("first")], [report("refused-with-poison"), report("poison")]].map { $0.map(PreparedAlert.init) },
                                       rules: rules, now: now)
        #expect(throws: (any Error).self) { try results[1].get() }
        // The next alert may take the row id the rolled-back one had; the rolled-back key must
        // not lead to it.
        #expect(try store.ingest([report("next")], rules: rules, now: now).created == 1)
        let again = try store.ingest([report("refused-with-poison")], rules: rules, now: now)
        #expect(again.created == 1 && again.deduplicated == 0)
        #expect(try receiveCounts(store) == ["first": 1, "next": 1, "refused-with-poison": 1])
    }

    @Test func anAlertFiringAgainAfterItResolvedIsANewAlert() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: path)
        _ = try store.ingest([report("disk-full")], rules: rules, now: now)
        _ = try store.ingest([report("disk-full", .resolved)], rules: rules, now: now.addingTimeInterval(60))
        var later = report("disk-full")
        later.startsAt = now.addingTimeInterval(120)
        #expect(try store.ingest([later], rules: rules, now: now.addingTimeInterval(120)).created == 1)
        #expect(try store.alerts().filter { $0.report.dedupKey == "disk-full" }.count == 2)
    }
}
