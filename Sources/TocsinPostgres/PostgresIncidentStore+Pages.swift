import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// The page outbox shared by every instance: a page being sent is leased to the instance
/// sending it; when that lease lapses unrecorded (the instance died mid-send), the page is due
/// again for any instance, under the same idempotency key.
extension PostgresIncidentStore {
    public func duePages(now: Date, limit: Int) throws -> [OutboundPage] {
        try connections.read { session in
            try session.rows("""
                SELECT * FROM page WHERE status = 'pending' AND next_attempt_at <= \(now.millis) AND (lease_until IS NULL OR lease_until <= \(now.millis))
                ORDER BY next_attempt_at, id LIMIT \(limit)
                """).map { try $0.outboundPage() }
        }
    }

    /// Takes up to `limit` due pages and leases them to this instance. First attempts go
    /// through each destination's rate limit, as `SQLiteIncidentStore.claimDuePages` describes.
    ///
    /// The claim does not wait for the disk: a lease lost with the server is a page sent again
    /// under the same idempotency key, which receivers take once, while waiting would hold up
    /// every first page by a flush.
    public func claimDuePages(now: Date, limit: Int, excluding inFlight: Set<Int64>, rules: ResponseRules, justCommitted: Bool) throws -> [OutboundPage] {
        try connections.transaction { session in
            session.commitWithoutWaiting()
            // Each page with its destination's sends within the longest rate limit's window, so
            // that weighing the limits takes no round trip of its own.
            let since = now.addingTimeInterval(-rules.longestRateLimitWindow.seconds).millis
            let rows = try session.rows("""
                SELECT page.*, ARRAY(SELECT at FROM destination_send
                                     WHERE destination = page.person || '/' || page.channel AND at > \(since)) AS recent_sends
                FROM page
                WHERE status = 'pending' AND next_attempt_at <= \(now.millis) AND (lease_until IS NULL OR lease_until <= \(now.millis))
                    AND NOT (id = ANY(\(Array(inFlight))))
                ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE OF page SKIP LOCKED
                """)
            var claimed: [OutboundPage] = []
            var fresh: [String: [PostgresRandomAccessRow]] = [:]
            var order: [String] = []
            for row in rows {
                let page = try row.outboundPage()
                let limit = rules.rateLimit(person: page.person, channel: page.channel)
                if BundlingDecision.goesAsItIs(attempts: try row.value("attempts"), kind: PageRequest.Kind(rawValue: try row.value("kind")) ?? .page,
                                               hasMessage: try row.value("message", as: String?.self) != nil, limit: limit,
                                               claimedBefore: try row.value("claimed_by", as: String?.self) != nil) {
                    claimed.append(page)
                } else {
                    if fresh[page.destination] == nil { order.append(page.destination) }
                    fresh[page.destination, default: []].append(row)
                }
            }
            var sends: [String: Int] = [:]
            for destination in order {
                let due = fresh[destination]!
                let first = try due[0].outboundPage()
                let limit = rules.rateLimit(person: first.person, channel: first.channel)
                let recent = try due[0].value("recent_sends", as: [Int64].self).map(Date.init(millis:))
                switch BundlingDecision.decide(due: due.count, recentSends: recent, limit: limit, now: now) {
                case .sendEach:
                    claimed += try due.map { try $0.outboundPage() }
                    sends[destination] = due.count
                case .wait(let until):
                    let ids = try due.map { try $0.value("id", as: Int64.self) }
                    try session.write("UPDATE page SET next_attempt_at = \(until.millis) WHERE id = ANY(\(ids))")
                case .bundle:
                    claimed.append(try bundle(due, now: now, in: session))
                    sends[destination] = 1
                }
            }
            try Self.recordSends(sends, at: now, in: session)
            let assignment = PageLease.assignment(to: instance, until: now.addingTimeInterval(lease.seconds).millis)
            try session.write(PostgresWrite("UPDATE page SET " + assignment + " WHERE id = ANY(\(claimed.map(\.id)))"))
            return claimed
        }
    }

    /// Counts `sends` (how many to each destination) against their destinations' rate limits,
    /// and forgets sends older than a day.
    static func recordSends(_ sends: [String: Int], at now: Date, in session: PostgresSession) throws {
        guard !sends.isEmpty else { return }
        try session.write("DELETE FROM destination_send WHERE at < \(now.addingTimeInterval(-24 * 3600).millis)")
        for (destination, count) in sends.sorted(by: { $0.key < $1.key }) {
            for _ in 0..<count {
                try session.write("INSERT INTO destination_send (destination, at) VALUES (\(destination), \(now.millis))")
            }
        }
    }

    private func bundle(_ members: [PostgresRandomAccessRow], now: Date, in session: PostgresSession) throws -> OutboundPage {
        let bundle = try BundledPage(members.map { row in
            WaitingPage(id: try row.value("id"), incidentID: try row.value("incident_id"), idempotencyKey: try row.value("idempotency_key"),
                        person: try row.value("person"), channel: try row.value("channel"),
                        flavour: ContactFlavour(rawValue: try row.value("flavour")) ?? .json, urlTemplate: try row.value("url_template"),
                        message: try row.value("message"), isExternal: try row.value("audience", as: String.self) == "external")
        }, now: now)
        let page = bundle.page
        let bundleID = try session.value("""
            INSERT INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                              kind, flavour, url_template, content_type, audience)
            VALUES (\(page.incidentID), \(page.idempotencyKey), \(page.person), \(page.channel), \(page.url), \(ByteBuffer(bytes: page.body)), 'pending',
                    \(now.millis), \(now.millis), 'bundle', \(page.flavour.rawValue), \(page.urlTemplate), \(page.contentType), \(page.audience))
            RETURNING id
            """, as: Int64.self)!
        try session.write("UPDATE page SET status = 'bundled', bundle_id = \(bundleID) WHERE id = ANY(\(bundle.members.map(\.id)))")
        try PostgresRecordWriter.write(bundle.events(at: now), in: session)
        return OutboundPage(id: bundleID, incidentID: page.incidentID, idempotencyKey: page.idempotencyKey, person: page.person, channel: page.channel,
                            url: page.url, body: page.body, contentType: page.contentType, isExternal: page.isExternal)
    }

    /// Records delivery attempts in one transaction and gives up their leases. Their incidents
    /// are locked first, in the order of their ids (so that two instances locking overlapping
    /// sets cannot wait for each other); their pages and timeline ends are read for all of them
    /// at once, in the statement after the lock.
    ///
    /// The commit waits for the disk and the standby: a record lost in a failover would send
    /// the page again, and an SMS gateway does not know idempotency keys.
    @discardableResult
    public func recordDeliveries(_ results: [(OutboundPage, DeliveryResult)], now: Date, retry: RetrySchedule,
                                 random: @Sendable () -> Double) throws -> [PageProgress?] {
        guard !results.isEmpty else { return [] }
        if let recorded = try recordAlone(results, now: now, retry: retry, random: random) { return recorded }
        return try connections.transaction { session in
            let incidents = Array(Set(results.map(\.0.incidentID)).subtracting([PageRequest.noIncident])).sorted()
            if !incidents.isEmpty {
                try session.execute("SELECT id FROM incident WHERE id = ANY(\(incidents)) ORDER BY id FOR UPDATE")
                session.lockedIncidents.formUnion(incidents)
            }
            let answer = try session.rows("""
                SELECT page.id, page.attempts, page.status, page.created_at, page.kind, page.pass, page.step, page.incident_id,
                       chain_end.seq AS chain_seq, chain_end.hash AS chain_hash
                FROM page LEFT JOIN LATERAL (SELECT seq, hash FROM event WHERE event.incident_id = page.incident_id ORDER BY seq DESC LIMIT 1) AS chain_end
                    ON true
                WHERE page.id = ANY(\(results.map(\.0.id))) FOR UPDATE OF page
                """)
            var ends: [Int64: (sequence: Int, hash: String)] = [:]
            for row in answer {
                guard let incident = try row.value("incident_id", as: Int64?.self) else { continue }
                ends[incident] = try row.chainEnd()
            }
            session.chainEnds.merge(ends) { known, _ in known }
            let rows = try Dictionary(uniqueKeysWithValues: answer.map { (try $0.value("id", as: Int64.self), $0) })
            return try results.map { page, result in
                guard let row = rows[page.id] else { return nil }
                return try Self.record(page, row: row, result: result, now: now, retry: retry, random: random, in: session)
            }
        }
    }

    private static func record(_ page: OutboundPage, row: PostgresRandomAccessRow, result: DeliveryResult, now: Date, retry: RetrySchedule,
                               random: () -> Double, in session: PostgresSession) throws -> PageProgress? {
        let kind = PageRequest.Kind(rawValue: try row.value("kind")) ?? .page
        let members = kind == .bundle
            ? try session.rows("SELECT incident_id, idempotency_key FROM page WHERE bundle_id = \(page.id)")
                .map { (incidentID: try $0.value("incident_id", as: Int64.self), idempotencyKey: try $0.value("idempotency_key", as: String.self)) }
            : []
        let entry = OutboxEntry(attempts: try row.value("attempts"), status: try row.value("status"), createdAt: try row.date("created_at"), kind: kind,
                                pass: try row.value("pass"), step: try row.value("step"), members: members)
        guard let (progress, changes) = DeliveryAttempt.record(page, entry: entry, result: result, now: now, retry: retry, random: random) else { return nil }
        switch progress {
        case .sent(let attempts, let at):
            try session.write(PostgresWrite("UPDATE page SET " + markedSent(attempts: attempts, at: at) + " WHERE id = \(page.id)"))
            if kind == .bundle { try session.write("UPDATE page SET status = 'sent', sent_at = \(at.millis) WHERE bundle_id = \(page.id)") }
        case .retry(let attempts, let at):
            try session.write("""
                UPDATE page SET attempts = \(attempts), next_attempt_at = \(at.millis), claimed_by = NULL, lease_until = NULL WHERE id = \(page.id)
                """)
        case .failed(let attempts):
            try session.write("UPDATE page SET status = 'failed', attempts = \(attempts), claimed_by = NULL, lease_until = NULL WHERE id = \(page.id)")
            if kind == .bundle { try session.write("UPDATE page SET status = 'failed' WHERE bundle_id = \(page.id)") }
        }
        try PostgresRecordWriter.write(changes, in: session)
        if case .sent = progress { return progress }
        if kind == .page, let step = entry.step {
            try passOverIfUnreachable(incidentID: page.incidentID, pass: entry.pass, step: step, now: now, in: session)
        }
        return progress
    }

    /// What the record of an attempt that got through sets on its page: sent, and its lease given up.
    static func markedSent(attempts: Int, at: Date) -> PostgresStatement {
        "status = 'sent', attempts = \(attempts), sent_at = \(at.millis), claimed_by = NULL, lease_until = NULL"
    }

    /// The earliest time a pending page not in flight here is due: its next attempt, which a
    /// lease moves to when the lease lapses. Read in the order of the index of pending pages,
    /// it stops at the first: a minimum would read every entry, and the index holds one for
    /// each page sent since the last vacuum.
    public func nextPageDue(excluding inFlight: Set<Int64>, justCommitted: Bool) throws -> Date? {
        try connections.read { session in
            try session.value("""
                SELECT next_attempt_at FROM page WHERE status = 'pending' AND NOT (id = ANY(\(Array(inFlight)))) ORDER BY next_attempt_at LIMIT 1
                """, as: Int64.self).map(Date.init(millis:))
        }
    }
}
