import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// Pages delivered at their first attempt, recorded as one statement that commits by itself:
/// one round trip, where `BEGIN`, the lock of their incidents, the read of their pages and
/// chain ends, the writes and `COMMIT` take five.
///
/// What the usual way reads, the statement assumes and checks as it writes: that each page is
/// pending, not yet tried and not a bundle, and that each incident's timeline ends where this
/// instance's own last commit left it (`RememberedChainEnds`). It locks the incidents before it
/// checks and writes, as the usual way does. Should one not hold (the page was acknowledged
/// meanwhile, another instance wrote to the incident), the statement fails, writes nothing,
/// and the record takes the usual way.
struct FreshDelivery {
    let results: [(OutboundPage, DeliveryResult)]
    let incidents: [Int64]

    /// Nil unless every attempt got through, each for an incident's page.
    init?(_ results: [(OutboundPage, DeliveryResult)]) {
        guard !results.isEmpty, results.allSatisfy({ $0.1.delivered && $0.0.incidentID != PageRequest.noIncident }) else { return nil }
        self.results = results
        incidents = Array(Set(results.map(\.0.incidentID))).sorted()
    }

    /// What a page that is pending, untried and not a bundle holds for the record.
    static func untried(at now: Date) -> OutboxEntry {
        OutboxEntry(attempts: 0, status: "pending", createdAt: now, kind: .page, pass: 0, step: nil)
    }

    /// The statement's first clauses: the incidents locked (`held`), and the pages marked sent
    /// (`sent`), when still pending and untried.
    func leadClauses(now: Date) -> PostgresStatement {
        "held AS (SELECT id FROM incident WHERE id = ANY(\(incidents)) ORDER BY id FOR UPDATE), sent AS (UPDATE page SET "
            + PostgresIncidentStore.markedSent(attempts: 1, at: now)
            + " WHERE id = ANY(\(results.map(\.0.id))) AND status = 'pending' AND attempts = 0 AND kind <> 'bundle' RETURNING id)"
    }

    /// Fails unless every incident is locked: the first check, so that the lock is held
    /// before anything is read or written.
    var locked: PostgresStatement {
        "SELECT 1 / ((SELECT COUNT(*) FROM held) = \(incidents.count))::INTEGER"
    }

    /// Fails unless `incident`'s timeline ends at `end`.
    static func ends(_ incident: Int64, at end: RememberedChainEnds.End) -> PostgresStatement {
        """
        SELECT 1 / COALESCE((SELECT (seq = \(end.sequence) AND hash = \(end.hash))::INTEGER FROM event
                             WHERE incident_id = \(incident) ORDER BY seq DESC LIMIT 1), 0)
        """
    }

    /// Fails unless every page was marked sent.
    var allSent: PostgresStatement {
        "SELECT 1 / ((SELECT COUNT(*) FROM sent) = \(results.count))::INTEGER"
    }

    /// Whether `error` refused the statement because something it assumed did not hold: a
    /// failed check (a division by zero), or another instance appending to a timeline at
    /// once (the same sequence number taken twice).
    static func didNotHold(_ error: any Error) -> Bool {
        guard let state = ServerRefusal(error)?.state else { return error is PostgresSession.MoreThanOneStatement }
        return state == "22012" || state == "23505"
    }
}

extension PostgresIncidentStore {
    /// `results`, when they are a `FreshDelivery` whose incidents' chain ends are remembered,
    /// recorded in one statement; nil when that does not apply or did not hold, and nothing
    /// was written.
    func recordAlone(_ results: [(OutboundPage, DeliveryResult)], now: Date, retry: RetrySchedule,
                     random: @Sendable () -> Double) throws -> [PageProgress?]? {
        guard let fresh = FreshDelivery(results), let ends = chainEnds.ends(of: fresh.incidents) else { return nil }
        do {
            return try connections.alone { session in
                session.sendsOneStatement = true
                session.lockedIncidents.formUnion(fresh.incidents)
                session.chainEnds = ends
                var progress: [PageProgress?] = []
                for (page, result) in results {
                    guard let (sent, changes) = DeliveryAttempt.record(page, entry: FreshDelivery.untried(at: now), result: result, now: now,
                                                                        retry: retry, random: random)
                    else { throw PostgresSession.MoreThanOneStatement() }
                    try PostgresRecordWriter.write(changes, in: session)
                    progress.append(sent)
                }
                session.check(fresh.locked)
                for (incident, end) in ends.sorted(by: { $0.key < $1.key }) { session.check(FreshDelivery.ends(incident, at: end)) }
                session.check(fresh.allSent)
                _ = try session.rows(of: try session.sendAll(after: fresh.leadClauses(now: now), selecting: []))
                return progress
            }
        } catch where FreshDelivery.didNotHold(error) {
            chainEnds.forget(fresh.incidents)
            return nil
        }
    }
}
