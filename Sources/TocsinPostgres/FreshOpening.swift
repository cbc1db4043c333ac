import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// A new alert that opens an incident, written with all its opening does (the incident, its
/// timeline, its first pages leased to this instance, its clocks) as one statement that commits
/// by itself: one round trip, where `BEGIN`, the lookup, the writes, the lease and `COMMIT`
/// take five.
///
/// What the usual path reads first, the statement assumes, and checks as it writes: that no
/// alert with the key is firing (nor resolved with the same start), that the remembered silences
/// are those in force, and that each rate-limited destination of a first page has room for it
/// and no other page due. Should one not hold, the statement fails (a division by zero), writes
/// nothing, and the alert takes the usual path. The incident's id, which its timeline's hashes
/// and its pages' keys carry, was reserved ahead (`SpareIDs`).
struct FreshOpening {
    let alert: PreparedAlert
    let severity: Severity
    let opening: IncidentOpening
    /// Where the one alert is among the callers' batches.
    let batch: Int

    /// Nil unless `batches` hold one alert, firing, that opens an incident.
    init?(_ batches: [[PreparedAlert]], rules: ResponseRules, now: Date) {
        guard batches.reduce(0, { $0 + $1.count }) == 1, let batch = batches.firstIndex(where: { !$0.isEmpty }),
              batches[batch][0].report.status == .firing
        else { return nil }
        let alert = batches[batch][0]
        let severity = rules.severity.severity(of: alert.report, at: now)
        guard let opening = Classification.classify(alertID: 0, report: alert.report, severity: severity, incident: nil, rules: rules, now: now).opening
        else { return nil }
        (self.alert, self.severity, self.opening, self.batch) = (alert, severity, opening, batch)
    }

    /// What opening the incident as `ids` writes, then what the alert's classification does.
    func changes(_ ids: SpareIDs.Pair, silence: Silence?, rules: ResponseRules, now: Date) -> [RecordChange] {
        opening.changes(id: ids.incident, silence: silence, rules: rules)
            + Classification.classify(alertID: ids.alert, report: alert.report, severity: severity, incident: nil, rules: rules, now: now).changes
    }

    /// The alert's insert, the statement's first clause (`fresh_alert`): no row when the key is
    /// firing already or the report repeats a resolved alert.
    func alertClause(_ ids: SpareIDs.Pair, silence: Silence?, now: Date) -> PostgresStatement {
        let report = alert.report
        return """
            fresh_alert AS (
                INSERT INTO alert (id, incident_id, source, dedup_key, summary, service, labels, status, starts_at, first_received_at, last_received_at,
                                   receive_count, severity, details, silenced_by)
                SELECT \(ids.alert), \(ids.incident), \(report.source), \(report.dedupKey), \(report.summary), \(report.service), \(alert.labelsJSON),
                       'firing', \(report.startsAt.millis), \(now.millis), \(now.millis), 1, \(severity.rawValue), \(alert.detailsJSON), \(silence?.id)
                WHERE NOT EXISTS (SELECT 1 FROM alert late WHERE late.status = 'resolved' AND late.dedup_key = \(report.dedupKey)
                                                           AND late.starts_at = \(report.startsAt.millis))
                ON CONFLICT (dedup_key) WHERE status = 'firing' DO NOTHING
                RETURNING id)
            """
    }

    /// Fails unless the alert was inserted.
    static let inserted: PostgresStatement = "SELECT 1 / (SELECT COUNT(*) FROM fresh_alert)::INTEGER"

    /// Fails unless `destination` has room under `limit` for `count` more sends at `now`, and no
    /// other page due: what `CommitClaim.decide` took for granted in sending them each.
    static func room(for count: Int, to destination: (person: String, channel: String), limit: RateLimit, now: Date) -> PostgresStatement {
        """
        SELECT 1 / ((SELECT COUNT(*) FROM destination_send WHERE destination = \(destination.person + "/" + destination.channel)
                                                             AND at > \(now.addingTimeInterval(-limit.per.seconds).millis)) + \(count) <= \(limit.messages)
                    AND NOT EXISTS (SELECT 1 FROM page WHERE status = 'pending' AND next_attempt_at <= \(now.millis) AND person = \(destination.person)
                                                         AND channel = \(destination.channel) AND (lease_until IS NULL OR lease_until <= \(now.millis))))::INTEGER
        """
    }
}

extension PostgresIncidentStore {
    /// The callers' one alert, when it opens an incident, written as a `FreshOpening`, with the
    /// pages it leased; nil when that does not apply or did not hold, and nothing was written.
    func openAlone(_ batches: [[PreparedAlert]], rules: ResponseRules, now: Date) throws -> [IngestOutcome]? {
        guard let fresh = FreshOpening(batches, rules: rules, now: now) else { return nil }
        let silences = try self.silences.current(at: now, from: connections)
        let silence = try silences.holding(fresh.alert.report)
        let ids = try spareIDs.take(from: connections)
        let changes = fresh.changes(ids, silence: silence, rules: rules, now: now)
        let pages = changes.compactMap(\.queuedPage)
        // Decided as if the destinations to weigh had sent nothing lately; the statement
        // checks that what they did send leaves the decision as it is.
        let weighed = CommitClaim.destinationsToWeigh(pages, rules: rules)
        let claim = CommitClaim.decide(pages, now: now, rules: rules,
                                       recentSends: Dictionary(uniqueKeysWithValues: weighed.map { ("\($0.person)/\($0.channel)", []) }), othersDue: [])
        guard !claim.leftForClaim else {
            spareIDs.keep(ids)
            return nil
        }
        let leaseEnd = now.addingTimeInterval(lease.seconds)
        do {
            let (outcome, next) = try connections.alone { session in
                session.sendsOneStatement = true
                session.lockedIncidents.insert(ids.incident)
                session.chainEnds[ids.incident] = (0, TimelineEvent.genesisHash)
                session.leaseAtInsert = PageLease(keys: Set(claim.taken.map(\.idempotencyKey)), instance: instance, until: leaseEnd)
                try session.write(PostgresWrite(try Self.incidentRow(fresh.opening, id: ids.incident)), incident: ids.incident)
                try PostgresRecordWriter.write(changes, in: session)
                try Self.recordSends(claim.sends, at: now, in: session)
                if !claim.taken.isEmpty { session.notify(Self.workChannel, dueAt: leaseEnd) }
                session.check(try RememberedSilences.unchanged(silences, at: now))
                session.check(FreshOpening.inserted)
                for destination in weighed {
                    guard let count = claim.sends["\(destination.person)/\(destination.channel)"] else { continue }
                    session.check(FreshOpening.room(for: count, to: destination, limit: rules.rateLimit(person: destination.person, channel: destination.channel),
                                                    now: now))
                }
                let row = try session.rows(of: try session.sendAll(after: fresh.alertClause(ids, silence: silence, now: now), selecting: SpareIDs.next))[0]
                var outcome = IngestOutcome()
                outcome.created = 1
                outcome.openedIncidents = [ids.incident]
                outcome.openedSeverities = [fresh.severity]
                outcome.firstPagesLeased = true
                outcome.deadlinesWritten = session.deadlinesWritten
                let pageIDs = Dictionary(uniqueKeysWithValues: zip(try row.value("page_keys", as: [String].self), try row.value("page_ids", as: [Int64].self)))
                outcome.leasedPages = claim.taken.compactMap { page in
                    pageIDs[page.idempotencyKey].map { id in
                        OutboundPage(id: id, incidentID: page.incidentID, idempotencyKey: page.idempotencyKey, person: page.person, channel: page.channel,
                                     url: page.url, body: page.body, contentType: page.contentType, isExternal: page.isExternal)
                    }
                }
                return (outcome, (alert: try row.value("next_alert", as: Int64.self), incident: try row.value("next_incident", as: Int64.self)))
            }
            spareIDs.keep(next)
            var outcomes = batches.map { _ in IngestOutcome() }
            outcomes[fresh.batch] = outcome
            return outcomes
        } catch where RememberedSilences.changed(error) || error is PostgresSession.MoreThanOneStatement {
            spareIDs.keep(ids)
            return nil
        }
    }
}

