import Foundation
import Testing
import TocsinStore

/// The rehearsal `tocsind` runs before it serves: it goes through an incident's opening and
/// leaves nothing behind, so the first real alert is the first incident.
@Suite struct WarmUpTests {
    @Test func theWarmUpQueuesAFirstPageThenLeavesTheStoreAsItWas() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let store = try #require(daemon.engine.store as? SQLiteIncidentStore)
        #expect(store.warmUp(rules: daemon.engine.rules, now: daemon.clock.now()) >= 1, "the rehearsal went as far as queueing a first page")
        #expect(try daemon.snapshot() == before)
        await daemon.runDue()
        #expect(daemon.listener.pages.isEmpty, "nobody is paged for the rehearsal")

        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(try store.incidents().map(\.id) == [1])
        #expect(try store.alerts().count == 1, "the rehearsal's alert is not among the open ones")
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
        let check = try store.verifyTimelines()
        #expect(check.broken.isEmpty && check.checked > 0)
    }
}
