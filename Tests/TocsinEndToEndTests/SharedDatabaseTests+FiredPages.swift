import Foundation
import Testing
import TocsinCore
import TocsinPostgres
import TocsinStore
import TocsinTestSupport

/// The pages an escalation step queues when its timer fires are leased to the instance that
/// fired it, in the firing transaction, so that they leave without a claim; as with an
/// opening's first pages, no other instance takes them before the lease lapses.
extension SharedDatabaseTests {
    /// A daemon on PostgreSQL whose policy pages the commander a minute after an incident
    /// opens, so that the page comes from a timer.
    func commanderAfterAMinuteDaemon(rateLimit: RateLimit) async throws -> TestDaemon {
        try await TestDaemon(backend: .postgres) { rules, _ in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(steps: [EscalationStep(delay: .seconds(60), targets: [.role(.faultAnalyst, .primary)])],
                                                                            ackTimeout: nil))
            rules.paging.rateLimit = rateLimit
        }
    }

    /// The batches of one firing pass by `store` at `now`, leasing at most `room` pages.
    func firingPass(_ store: PostgresIncidentStore, at now: Date, leasingAtMost room: Int, rules: ResponseRules) throws -> [FiredBatch] {
        var batches: [FiredBatch] = []
        _ = try store.firingPass(rules: rules, now: now, leasingAtMost: room) { batches.append($0) }
        return batches
    }

    @Test func aFiredStepsPagesAreLeasedToItsInstanceUpToTheRoomItHasAndTheRestLeftToAnyClaim() async throws {
        let daemon = try await commanderAfterAMinuteDaemon(rateLimit: .unlimited)
        defer { daemon.stop() }
        let firing = try secondInstance(of: daemon, lease: .seconds(30))
        let other = daemon.engine.store
        let rules = daemon.engine.rules, start = daemon.clock.now()
        for key in ["first", "second", "third"] {
            _ = try firing.ingest([report(key, at: start)], rules: rules, now: start)
        }
        #expect(try other.claimDuePages(now: start, rules: rules).isEmpty, "nobody is paged until the step")

        let now = start.addingTimeInterval(60)
        let batches = try firingPass(firing, at: now, leasingAtMost: 2, rules: rules)
        #expect(batches.flatMap(\.timers).map(\.kind) == ["escalation", "escalation", "escalation"])
        let leased = batches.flatMap(\.leasedPages)
        #expect(leased.count == 2 && leased.allSatisfy { $0.person == "chen.wei" }, "as many as the room in flight")
        #expect(batches.compactMap(\.pagesDue).min() == now, "the third is left to a claim, due now")

        let claimed = try other.claimDuePages(now: now, rules: rules)
        #expect(claimed.count == 1 && !leased.map(\.id).contains(claimed[0].id), "another instance takes only the one left")
        try other.recordDelivery(of: claimed[0], result: DeliveryResult(status: 200, latency: .milliseconds(2), error: nil), now: now)
        // The firing instance dies here, before it sends its two.
        #expect(try other.claimDuePages(now: now.addingTimeInterval(29), rules: rules).isEmpty)
        let retaken = try other.claimDuePages(now: now.addingTimeInterval(31), rules: rules)
        #expect(Set(retaken.map(\.idempotencyKey)) == Set(leased.map(\.idempotencyKey)), "sent elsewhere under the same keys once the lease lapses")
    }

    @Test func pagesLeasedWhenAStepFiresKeepTheRateLimit() async throws {
        let daemon = try await commanderAfterAMinuteDaemon(rateLimit: RateLimit(messages: 2, per: .seconds(600)))
        defer { daemon.stop() }
        let firing = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, start = daemon.clock.now()
        _ = try firing.ingest([report("early", at: start)], rules: rules, now: start)
        for key in ["later-1", "later-2"] {
            _ = try firing.ingest([report(key, at: start.addingTimeInterval(10))], rules: rules, now: start.addingTimeInterval(10))
        }

        let first = try firingPass(firing, at: start.addingTimeInterval(60), leasingAtMost: 64, rules: rules)
        #expect(first.flatMap(\.leasedPages).count == 1, "within the limit: leased as it fires")
        #expect(first.compactMap(\.pagesDue).isEmpty)

        // Two more for the same destination, with one of its two sends used: a claim bundles them.
        let now = start.addingTimeInterval(70)
        let second = try firingPass(firing, at: now, leasingAtMost: 64, rules: rules)
        #expect(second.flatMap(\.timers).count == 2)
        #expect(second.flatMap(\.leasedPages).isEmpty, "past the limit: left to the claim")
        #expect(second.compactMap(\.pagesDue).min() == now)
        let claimed = try daemon.engine.store.claimDuePages(now: now, rules: rules)
        #expect(claimed.count == 1 && claimed[0].incidentID == 2 && claimed[0].idempotencyKey.contains("bundle"), "one bundle of the two")
    }
}
