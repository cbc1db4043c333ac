import Foundation
import Testing
import TocsinCore
import TocsinPager

/// A page under a rate limit that went out just before its sender died, unrecorded: after the
/// restart it goes again under its own key (which the receiver drops), never inside a bundle
/// that would tell the person about the incident twice.
@Suite struct ClaimedPageTests {
    @Test(arguments: StoreBackend.all) func aPageThatMayHaveGoneOutIsNeverBundledAfterwards(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = DeliveryTests.commanderOnly
            rules.paging.rateLimit = RateLimit(messages: 2, per: .seconds(600))
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "first", startsAt: daemon.clock.now()))
        // The first page is claimed and delivered, and the sender dies before recording it.
        let claimed = try daemon.engine.store.claimDuePages(now: daemon.clock.now(), rules: daemon.engine.rules)
        #expect(claimed.count == 1)
        for page in claimed { #expect(await PageDelivery(timeout: .seconds(5)).deliver(page).delivered) }
        await daemon.stopServer()
        try await daemon.startServer()

        // Three more incidents for the same commander, with room for one more message.
        for key in ["second", "third", "fourth"] {
            _ = await daemon.postAlert(TestDaemon.alertJSON(key: key, startsAt: daemon.clock.now()))
        }
        // Past the dead sender's lease (PostgreSQL), well inside the rate limit's window.
        await daemon.advance(by: 31)
        let incidents = daemon.listener.pages.flatMap { page -> [Int] in
            if page.json["bundle"] as? Bool == true { return (page.json["pages"] as? [[String: Any]] ?? []).compactMap { $0["incident_id"] as? Int } }
            return (page.json["incident_id"] as? Int).map { [$0] } ?? []
        }
        #expect(incidents.sorted() == [1, 2, 3, 4], "each incident told once: \(incidents)")
        #expect(daemon.listener.duplicates == 1, "the first page again, under its own key")
        #expect(daemon.listener.pages.contains { $0.json["bundle"] as? Bool == true }, "the other three bundled")
    }
}
