import Foundation
import Testing
import TocsinCore
import TocsinStore

/// Concurrent requests' alerts committed together: most are new keys (written without asking
/// the database first on PostgreSQL), and the few that are not must still be folded, ignored
/// or resolved exactly as if each had come alone.
@Suite struct NewAlertBatchTests {
    func report(_ key: String, _ status: AlertStatus = .firing, at startsAt: Date) -> AlertReport {
        AlertReport(source: "test", dedupKey: key, summary: "disk usage high", service: "reporting", labels: ["urgency": "low"],
                    status: status, startsAt: startsAt)
    }

    @Test(arguments: StoreBackend.all) func newKeysRepeatsLateRepeatsAndAKeySentTwiceAreEachRecordedOnce(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let store = daemon.engine.store, rules = daemon.engine.rules, start = daemon.clock.now()
        // Through the same call as the batch below, so that it finds the silences already read.
        for alerts in [[report("still-open", at: start), report("gone", at: start)], [report("gone", .resolved, at: start)]] {
            _ = try store.ingest(batches: [alerts.map(PreparedAlert.init)], rules: rules, now: start)
        }

        let now = start.addingTimeInterval(60)
        let batches = [[report("new-a", at: now), report("still-open", at: start)],
                       [report("gone", at: start), report("twice", at: now)],
                       [report("twice", at: now), report("new-b", at: now), report("never-seen", .resolved, at: now)]]
        let outcomes = try store.ingest(batches: batches.map { $0.map(PreparedAlert.init) }, rules: rules, now: now).map { try $0.get() }

        #expect(outcomes.map(\.created) == [1, 1, 1])
        #expect(outcomes.map(\.deduplicated) == [1, 0, 1], "the open alert and the second report of the new key are folded")
        #expect(outcomes.map(\.ignored) == [0, 1, 1], "a late repeat of the resolved alert and a resolution of nothing change nothing")
        let alerts = try store.alerts()
        let counts = Dictionary(alerts.map { ("\($0.report.dedupKey) \($0.report.status.rawValue)", $0.receiveCount) }, uniquingKeysWith: +)
        #expect(counts == ["still-open firing": 2, "gone resolved": 1, "new-a firing": 1, "twice firing": 2, "new-b firing": 1])
        #expect(try store.incidents().isEmpty)
    }
}
