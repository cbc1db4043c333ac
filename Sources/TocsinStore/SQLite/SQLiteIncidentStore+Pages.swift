import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Pages whose (next) attempt is due at `now`, read only: what `claimDuePages` would start from.
    public func duePages(now: Date, limit: Int = 256) throws -> [OutboundPage] {
        try database.read { db in try Self.duePageRows(now: now, limit: limit, excluding: [], in: db).map(OutboundPage.init(row:)) }
    }

    /// Takes up to `limit` due pages to send now, leaving out those already in flight.
    ///
    /// First attempts go through each destination's rate limit: within the limit each page
    /// goes on its own; over it, all that destination's due pages become one bundled message;
    /// with no room at all they wait for room (and bundle with whatever else arrives by then).
    /// Pages that need none of this (retries, bundles, destinations without a limit) are taken
    /// with a read alone: the single writer stays free and the first page of an incident
    /// leaves without waiting for a transaction.
    ///
    /// `justCommitted`: the caller has just committed the pages (an incident's first), and the
    /// read goes through the writer's connection, whose cache holds them. A reader connection
    /// drops its cache after every commit and reads the pages back from the file, which takes
    /// several times longer.
    public func claimDuePages(now: Date, limit: Int = 256, excluding inFlight: Set<Int64> = [], rules: ResponseRules,
                              justCommitted: Bool = false) throws -> [OutboundPage] {
        let due = try read(justCommitted: justCommitted) { db in try Self.duePageRows(now: now, limit: limit, excluding: inFlight, in: db) }
        if due.allSatisfy({ Self.goesAsItIs($0, rules: rules) }) { return due.map(OutboundPage.init(row:)) }
        return try unflushedWrite { db in
            var claimed: [OutboundPage] = []
            var fresh: [String: [Row]] = [:]
            var order: [String] = []
            for row in try Self.duePageRows(now: now, limit: limit, excluding: inFlight, in: db) {
                let page = OutboundPage(row: row)
                if Self.goesAsItIs(row, rules: rules) {
                    claimed.append(page)
                } else {
                    if fresh[page.destination] == nil { order.append(page.destination) }
                    fresh[page.destination, default: []].append(row)
                }
            }
            try db.cachedStatement(sql: "DELETE FROM destination_send WHERE at < ?").execute(arguments: [now.addingTimeInterval(-24 * 3600).millis])
            for destination in order {
                let due = fresh[destination]!
                let limit = Self.rateLimit(of: due[0], rules: rules)
                let recent = try Int64.fetchAll(try db.cachedStatement(sql: "SELECT at FROM destination_send WHERE destination = ? AND at > ?"),
                                                arguments: [destination, now.addingTimeInterval(-limit.per.seconds).millis]).map(Date.init(millis:))
                switch BundlingDecision.decide(due: due.count, recentSends: recent, limit: limit, now: now) {
                case .sendEach:
                    claimed += due.map(OutboundPage.init(row:))
                    try recordSends(destination, count: due.count, at: now, in: db)
                    for row in due {
                        try db.cachedStatement(sql: "UPDATE page SET claimed_at = ? WHERE id = ?").execute(arguments: [now.millis, row["id"] as Int64])
                    }
                case .wait(let until):
                    for row in due {
                        try db.cachedStatement(sql: "UPDATE page SET next_attempt_at = ? WHERE id = ?").execute(arguments: [until.millis, row["id"] as Int64])
                    }
                case .bundle:
                    claimed.append(try Self.bundle(due, now: now, in: db))
                    try recordSends(destination, count: 1, at: now, in: db)
                }
            }
            return claimed
        }
    }

    /// Up to `limit` pages due at `now`, earliest first, leaving out `inFlight`.
    static func duePageRows(now: Date, limit: Int, excluding inFlight: Set<Int64>, in db: Database) throws -> ArraySlice<Row> {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM page WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"),
                         arguments: [now.millis, limit + inFlight.count])
            .filter { !inFlight.contains($0["id"] as Int64) }
            .prefix(limit)
    }

    private static func goesAsItIs(_ row: Row, rules: ResponseRules) -> Bool {
        BundlingDecision.goesAsItIs(attempts: row["attempts"], kind: PageRequest.Kind(rawValue: row["kind"]) ?? .page,
                                    hasMessage: (row["message"] as String?) != nil, limit: rateLimit(of: row, rules: rules),
                                    claimedBefore: (row["claimed_at"] as Int64?) != nil)
    }

    private static func rateLimit(of row: Row, rules: ResponseRules) -> RateLimit {
        rules.rateLimit(person: row["person"], channel: row["channel"])
    }

    private func recordSends(_ destination: String, count: Int, at: Date, in db: Database) throws {
        for _ in 0..<count {
            try db.cachedStatement(sql: "INSERT INTO destination_send (destination, at) VALUES (?, ?)").execute(arguments: [destination, at.millis])
        }
    }

    /// Folds `members` (pages to one destination) into one new page row carrying them all.
    private static func bundle(_ members: [Row], now: Date, in db: Database) throws -> OutboundPage {
        let bundle = try BundledPage(members.map { row in
            WaitingPage(id: row["id"], incidentID: row["incident_id"], idempotencyKey: row["idempotency_key"], person: row["person"], channel: row["channel"],
                        flavour: ContactFlavour(rawValue: row["flavour"]) ?? .json, urlTemplate: row["url_template"], message: row["message"],
                        isExternal: row["audience"] == "external")
        }, now: now)
        let page = bundle.page
        try db.cachedStatement(sql: """
                INSERT INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                                  kind, flavour, url_template, content_type, audience)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, 'bundle', ?, ?, ?, ?)
                """).execute(arguments: [page.incidentID, page.idempotencyKey, page.person, page.channel, page.url, page.body, now.millis, now.millis,
                                         page.flavour.rawValue, page.urlTemplate, page.contentType, page.audience])
        let bundleID = db.lastInsertedRowID
        for member in bundle.members {
            try db.cachedStatement(sql: "UPDATE page SET status = 'bundled', bundle_id = ? WHERE id = ?").execute(arguments: [bundleID, member.id])
        }
        try RecordWriter.write(bundle.events(at: now), in: db)
        return OutboundPage(id: bundleID, incidentID: page.incidentID, idempotencyKey: page.idempotencyKey, person: page.person, channel: page.channel,
                            url: page.url, body: page.body, contentType: page.contentType, isExternal: page.isExternal)
    }

    /// Records delivery attempts, all in one transaction, on the pages and on their incidents'
    /// timelines (status, latency, error). A retryable failure (no answer, 5xx, 429) is tried
    /// again after the retry schedule's delay, never sooner than the receiver's `Retry-After`;
    /// other failures, and pages older than the schedule gives up at, are final.
    @discardableResult
    public func recordDeliveries(_ results: [(OutboundPage, DeliveryResult)], now: Date, retry: RetrySchedule,
                                 random: @Sendable () -> Double = { Double.random(in: 0..<1) }) throws -> [PageProgress?] {
        guard !results.isEmpty else { return [] }
        return try unflushedWrite { db in
            try results.map { page, result in try Self.record(page, result: result, now: now, retry: retry, random: random, in: db) }
        }
    }

    private static func record(_ page: OutboundPage, result: DeliveryResult, now: Date, retry: RetrySchedule, random: () -> Double,
                               in db: Database) throws -> PageProgress? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT attempts, status, created_at, kind, pass, step FROM page WHERE id = ?"), arguments: [page.id]) else {
            return nil
        }
        let kind = PageRequest.Kind(rawValue: row["kind"]) ?? .page
        let members = kind == .bundle
            ? try Row.fetchAll(try db.cachedStatement(sql: "SELECT incident_id, idempotency_key FROM page WHERE bundle_id = ?"), arguments: [page.id])
                .map { (incidentID: $0["incident_id"] as Int64, idempotencyKey: $0["idempotency_key"] as String) }
            : []
        let entry = OutboxEntry(attempts: row["attempts"], status: row["status"], createdAt: Date(millis: row["created_at"]), kind: kind,
                                pass: row["pass"], step: row["step"], members: members)
        guard let (progress, changes) = DeliveryAttempt.record(page, entry: entry, result: result, now: now, retry: retry, random: random) else { return nil }
        switch progress {
        case .sent(let attempts, let at):
            try db.cachedStatement(sql: "UPDATE page SET status = 'sent', attempts = ?, sent_at = ? WHERE id = ?").execute(arguments: [attempts, at.millis, page.id])
            try db.cachedStatement(sql: "UPDATE page SET status = 'sent', sent_at = ? WHERE bundle_id = ?").execute(arguments: [at.millis, page.id])
        case .retry(let attempts, let at):
            try db.cachedStatement(sql: "UPDATE page SET attempts = ?, next_attempt_at = ? WHERE id = ?").execute(arguments: [attempts, at.millis, page.id])
        case .failed(let attempts):
            try db.cachedStatement(sql: "UPDATE page SET status = 'failed', attempts = ? WHERE id = ?").execute(arguments: [attempts, page.id])
            try db.cachedStatement(sql: "UPDATE page SET status = 'failed' WHERE bundle_id = ?").execute(arguments: [page.id])
        }
        try RecordWriter.write(changes, in: db)
        if case .sent = progress { return progress }
        if kind == .page, let step = entry.step {
            try passOverIfUnreachable(incidentID: page.incidentID, pass: entry.pass, step: step, now: now, in: db)
        }
        return progress
    }

    /// The earliest time a pending page not already in flight is due.
    /// `justCommitted` as for `claimDuePages`.
    public func nextPageDue(excluding inFlight: Set<Int64> = [], justCommitted: Bool = false) throws -> Date? {
        try read(justCommitted: justCommitted) { db in
            let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT id, next_attempt_at FROM page WHERE status = 'pending' ORDER BY next_attempt_at LIMIT ?"),
                                        arguments: [inFlight.count + 1])
            return rows.first { !inFlight.contains($0["id"] as Int64) }.map { Date(millis: $0["next_attempt_at"]) }
        }
    }
}
