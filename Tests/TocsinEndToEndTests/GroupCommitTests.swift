import Foundation
import GRDB
import Synchronization
import Testing
import TocsinCore
import TocsinStore

/// Concurrent requests share one transaction; what one of them sends must never cost the
/// others their alerts, and what is stored must read back exactly as it was sent.
@Suite struct GroupCommitTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-group-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("tocsin.sqlite").path }
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let rules = ResponseRules.quiet

    func report(_ key: String, labels: [String: String] = ["urgency": "low"]) -> AlertReport {
        AlertReport(source: "test", dedupKey: key, summary: "disk usage high", service: "reporting", labels: labels, startsAt: now)
    }

    @Test func aBatchTheDatabaseRefusesIsRefusedAloneAndTheOthersCommit() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: path)
        // Stands for any failure inside one caller's alerts (a constraint, a full disk for that row).
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_poison BEFORE INSERT ON alert WHEN NEW.dedup_key = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }

        let batches = [[report("first-a"), report("first-b")], [report("fine"), report("poison")], [report("third")]]
        let results = try store.ingest(batches: batches.map { $0.map(PreparedAlert.init) },
                                       rules: rules, now: now)

        #expect(try results[0].get().created == 2)
        #expect(throws: (any Error).self) { try results[1].get() }
        #expect(try results[2].get().created == 1)
        let stored = Set(try store.alerts().map(\.report.dedupKey))
        #expect(stored == ["first-a", "first-b", "third"], "the refused batch left nothing behind, not even its good alert")
    }

    @Test func theEngineHearsOfAnOpenedIncidentOnceItIsCommittedAndBeforeTheSenderDoes() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: path)
        let observer = try DatabaseQueue(path: path)
        // What another connection (the engine's delivery loop reads this way) sees when the
        // commit hands over, and whether the sender had its answer by then.
        let log = HandOverLog()
        var rules = rules
        rules.severity = SeverityRules(serviceTiers: ["payments-core": 1])
        let commits = GroupCommit(store: store, rules: rules, clock: ManualClock(now)) { outcomes in
            let stored = (try? observer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM alert") }) ?? nil
            log.seen.withLock { $0.append((outcomes.flatMap(\.openedIncidents), stored ?? -1, log.answered.withLock { $0 })) }
        }
        defer { commits.stop() }

        let outcome = try await commits.ingest([AlertReport(source: "test", dedupKey: "payments-down", summary: "payments failing",
                                                            service: "payments-core", labels: ["urgency": "high"], startsAt: now)])
        log.answered.withLock { $0 = true }

        #expect(outcome.openedIncidents.count == 1)
        let handOver = try #require(log.seen.withLock { $0 }.first)
        #expect(handOver.opened == outcome.openedIncidents)
        #expect(handOver.storedAlerts == 1, "committed and readable by another connection when handed over")
        #expect(!handOver.answered)
    }

    @Test func labelsNeedingEscapesReadBackAsSent() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteIncidentStore(path: path)
        let labels = ["urgency": "low", "quote": #"say "hi""#, "path": #"C:\temp\new"#, "lines": "one\ntwo\r\tthree",
                      "control": "bell\u{07}nul\u{00}esc\u{1B}", "unicode": "支付 ✓ 🚨", "slash": "a/b"]
        _ = try store.ingest([report("escapes", labels: labels)], rules: rules, now: now)
        #expect(try store.alerts().first?.report.labels == labels)
    }
}

/// What the group commit's hand-over saw, and whether the sender had its answer by then.
private final class HandOverLog: Sendable {
    let seen = Mutex<[(opened: [Int64], storedAlerts: Int, answered: Bool)]>([])
    let answered = Mutex(false)
}
