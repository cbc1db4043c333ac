import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// A transaction's claim of the pages it queues that are due at once (`CommitClaim`): they
/// are leased to this instance as `claimDuePages` leases them, in the transaction that queues
/// them, and handed to its sender once it commits. Should the instance die before sending
/// them, the lease lapses and another instance sends them under the same keys.
///
/// The recent sends of the destinations whose rate limit must be weighed are asked for along
/// with an earlier statement of the transaction (`readSends`), so the claim waits for no
/// answer of its own before the commit.
final class PostgresCommitClaim {
    let instance: String
    let lease: Duration
    let now: Date
    let rules: ResponseRules
    /// The pages the transaction queued, in order.
    private(set) var queued: [PageRequest] = []
    private var reads: [PostgresSession.PendingRows] = []

    init(instance: String, lease: Duration, now: Date, rules: ResponseRules) {
        self.instance = instance
        self.lease = lease
        self.now = now
        self.rules = rules
    }

    func queue(_ page: PageRequest) {
        queued.append(page)
    }

    /// Whether `page` is due at once, so that the commit may lease it.
    func mayLease(_ page: PageRequest) -> Bool {
        page.sendAt <= now
    }

    /// Sends, without waiting for it, the read of what weighing `pages` (those the transaction
    /// is about to queue) needs: each destination's recent sends, and whether it has other pages due.
    func readSends(for pages: [PageRequest], in session: PostgresSession) throws {
        let destinations = CommitClaim.destinationsToWeigh(pages, rules: rules)
        guard !destinations.isEmpty else { return }
        let since = now.addingTimeInterval(-rules.longestRateLimitWindow.seconds).millis
        reads.append(try session.send("""
            SELECT d.person || '/' || d.channel AS destination,
                   ARRAY(SELECT at FROM destination_send WHERE destination = d.person || '/' || d.channel AND at > \(since)) AS recent_sends,
                   EXISTS(SELECT 1 FROM page WHERE status = 'pending' AND next_attempt_at <= \(now.millis) AND person = d.person AND channel = d.channel
                                              AND (lease_until IS NULL OR lease_until <= \(now.millis))) AS others_due
            FROM unnest(\(destinations.map(\.person)), \(destinations.map(\.channel))) AS d(person, channel)
            """))
    }

    /// Decides which queued pages this instance takes and sends, at the end of the transaction,
    /// the lease of those; the answer, read once the transaction has committed, is the pages
    /// leased (nil when nothing is taken), and whether any page due now was left for a claim.
    func take(in session: PostgresSession) throws -> (leases: PostgresSession.PendingRows?, leftForClaim: Bool) {
        guard !queued.isEmpty else { return (nil, false) }
        var recentSends: [String: [Date]] = [:]
        var othersDue: Set<String> = []
        for read in reads {
            for row in try read.finished() {
                let destination: String = try row.value("destination")
                recentSends[destination] = try row.value("recent_sends", as: [Int64].self).map(Date.init(millis:))
                if try row.value("others_due", as: Bool.self) { othersDue.insert(destination) }
            }
        }
        let claim = CommitClaim.decide(queued, now: now, rules: rules, recentSends: recentSends, othersDue: othersDue)
        // The other instances may send what is left at once, and what is leased here once the
        // lease lapses: woken sooner, they would only find it taken.
        if claim.leftForClaim { session.notify(PostgresIncidentStore.workChannel, dueAt: now) }
        guard !claim.taken.isEmpty else { return (nil, claim.leftForClaim) }
        try PostgresIncidentStore.recordSends(claim.sends, at: now, in: session)
        let leaseEnd = now.addingTimeInterval(lease.seconds).millis
        session.notify(PostgresIncidentStore.workChannel, dueAt: Date(millis: leaseEnd))
        // The pages by their keys first, then each by its id: as one condition, the statement's
        // generic plan read the whole index of pending pages, which holds an entry for every
        // page sent since the last vacuum.
        let leases = try session.send(
            "WITH queued AS MATERIALIZED (SELECT id FROM page WHERE idempotency_key = ANY(\(claim.taken.map(\.idempotencyKey)))) UPDATE page SET "
                + PageLease.assignment(to: instance, until: leaseEnd)
                + " FROM queued WHERE page.id = queued.id AND status = 'pending' AND claimed_by IS NULL RETURNING page.*")
        return (leases, claim.leftForClaim)
    }
}
