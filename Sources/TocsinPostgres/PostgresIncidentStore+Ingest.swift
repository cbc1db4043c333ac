import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

extension PostgresIncidentStore {
    public func ingest(_ reports: [AlertReport], rules: ResponseRules, now: Date) throws -> IngestOutcome {
        let alerts = reports.map(PreparedAlert.init)
        return try connections.transaction { session in
            try Self.ingest(alerts, rules: rules, now: now, silences: try Self.activeSilences(at: now, in: session), in: session)
        }
    }

    public func ingest(timed reports: [(report: AlertReport, receivedAt: Date)], rules: ResponseRules) throws -> IngestOutcome {
        try connections.transaction { session in
            var outcome = IngestOutcome()
            for (report, receivedAt) in reports {
                try Self.ingest(PreparedAlert(report), rules: rules, now: receivedAt, silences: try Self.activeSilences(at: receivedAt, in: session),
                                outcome: &outcome, in: session)
            }
            return outcome
        }
    }

    /// Several callers' batches: one new alert that opens an incident in one round trip
    /// (`FreshOpening`, when `leasingFirstPages`); those of their alerts that are new and open
    /// no incident in one round trip (`FreshAlerts`), the rest in one transaction (one commit for
    /// all, as `synchronous_commit = on` waits for it); should that fail, each batch's rest is
    /// committed on its own so only it is refused. When `leasingFirstPages`, the pages those transactions
    /// queue due at once are leased to this instance in them (`PostgresCommitClaim`).
    public func ingest(batches: [[PreparedAlert]], rules: ResponseRules, now: Date, leasingFirstPages: Bool = false,
                       committed: ([Result<IngestOutcome, any Error>]) -> Void) throws -> [Result<IngestOutcome, any Error>] {
        var results: [Result<IngestOutcome, any Error>]
        if leasingFirstPages, let outcomes = try openAlone(batches, rules: rules, now: now) {
            results = outcomes.map { .success($0) }
        } else if var fresh = FreshAlerts(batches, rules: rules, now: now), let outcomes = try insertFresh(&fresh, now: now) {
            results = zip(outcomes, ingestEach(fresh.others, rules: rules, now: now, leasing: leasingFirstPages)).map { fresh, rest in
                rest.map { fresh + $0 }
            }
        } else {
            results = ingestEach(batches, rules: rules, now: now, leasing: leasingFirstPages)
        }
        committed(results)
        return results
    }

    /// Writes `fresh` in one round trip with the silences remembered; nil (and nothing written)
    /// when those no longer hold, which has them read again for the next batch.
    private func insertFresh(_ fresh: inout FreshAlerts, now: Date) throws -> [IngestOutcome]? {
        let inForce = try silences.current(at: now, from: connections)
        let inserted: Set<String>
        do {
            let statement = try fresh.statement(silences: inForce, now: now)
            inserted = Set(try connections.alone { session in try session.value(statement, as: [String].self) ?? [] })
        } catch let error as StoreError {
            throw error
        } catch {
            _ = try silences.refreshed(at: now, from: connections)
            return nil
        }
        return fresh.outcomes(inserted: inserted)
    }

    private func ingestEach(_ batches: [[PreparedAlert]], rules: ResponseRules, now: Date, leasing: Bool) -> [Result<IngestOutcome, any Error>] {
        let waiting = batches.indices.filter { !batches[$0].isEmpty }
        var results = batches.map { _ in Result<IngestOutcome, any Error>.success(IngestOutcome()) }
        if waiting.count > 1, let outcomes = try? transaction(leasing: leasing, rules: rules, now: now, { session, silences in
            try Self.ingestNew(waiting.map { batches[$0] }, rules: rules, now: now, silences: silences, in: session)
        }) {
            for (index, outcome) in zip(waiting, outcomes) { results[index] = .success(outcome) }
        } else {
            for index in waiting {
                results[index] = Result { try transaction(leasing: leasing, rules: rules, now: now) { session, silences in
                    [try Self.ingest(batches[index], rules: rules, now: now, silences: silences, in: session)]
                }[0] }
            }
        }
        return results
    }

    /// One transaction of `body`'s outcomes on the silences in force at `now`: those this
    /// instance remembers, which the transaction checks with its writes rather than read first
    /// (should another instance have changed them, nothing is committed and `body` runs again
    /// on the silences read anew); after two such misses, read in the transaction.
    private func transaction(leasing: Bool, rules: ResponseRules, now: Date,
                             _ body: (PostgresSession, ActiveSilences) throws -> [IngestOutcome]) throws -> [IngestOutcome] {
        for _ in 0..<2 {
            let remembered = try silences.current(at: now, from: connections)
            do {
                return try claimingTransaction(leasing: leasing, rules: rules, now: now) { session in
                    session.check(try RememberedSilences.unchanged(remembered, at: now))
                    return try body(session, remembered)
                }
            } catch where RememberedSilences.changed(error) {
                _ = try silences.refreshed(at: now, from: connections)
            }
        }
        return try claimingTransaction(leasing: leasing, rules: rules, now: now) { session in
            try body(session, try Self.activeSilences(at: now, in: session))
        }
    }

    /// One transaction of `body`'s outcomes; when `leasing`, the pages it queued due at once
    /// are leased to this instance in it and returned with the first outcome that opened an
    /// incident (or the first, if none did), and each outcome tells the deadlines it wrote
    /// (unless it left a page due now to a claim, after which the engine reads them). The
    /// first incident it opens takes this instance's spare ids, if it has them.
    private func claimingTransaction(leasing: Bool, rules: ResponseRules, now: Date,
                                     _ body: (PostgresSession) throws -> [IngestOutcome]) throws -> [IngestOutcome] {
        let spare = spareIDs.takeIfAny()
        var keepsSpare = true
        defer { if let spare, keepsSpare { spareIDs.keep(spare) } }
        let committed: [IngestOutcome], leases: PostgresSession.PendingRows?, leftForClaim: Bool, written: DeadlinesWritten
        do {
            (committed, leases, leftForClaim, written, keepsSpare) = try connections.transaction { session in
                session.spareIDs = spare
                let claim = leasing ? PostgresCommitClaim(instance: instance, lease: lease, now: now, rules: rules) : nil
                session.commitClaim = claim
                let outcomes = try body(session)
                let (leases, leftForClaim) = try claim?.take(in: session) ?? (nil, false)
                return (outcomes, leases, leftForClaim, session.deadlinesWritten, session.spareIDs != nil)
            }
        } catch {
            // Whether a transaction the connection broke under committed is not known: its ids
            // are not used again. One the server refused committed nothing.
            if case StoreError.unavailable = error { keepsSpare = false }
            throw error
        }
        guard leasing else { return committed }
        var outcomes = committed
        for index in outcomes.indices {
            if !outcomes[index].openedIncidents.isEmpty { outcomes[index].firstPagesLeased = !leftForClaim }
            if !leftForClaim { outcomes[index].deadlinesWritten = written }
        }
        let leased = try leases?.finished().map { try $0.outboundPage() } ?? []
        if !leased.isEmpty, let first = outcomes.firstIndex(where: { !$0.openedIncidents.isEmpty }) ?? outcomes.indices.first {
            outcomes[first].leasedPages = leased
        }
        return outcomes
    }

    static func ingest(_ alerts: [PreparedAlert], rules: ResponseRules, now: Date, silences: ActiveSilences, in session: PostgresSession) throws -> IngestOutcome {
        if alerts.count > 1 {
            return try ingestNew([alerts], rules: rules, now: now, silences: silences, in: session)[0]
        }
        var outcome = IngestOutcome()
        for alert in alerts {
            try ingest(alert, rules: rules, now: now, silences: silences, outcome: &outcome, in: session)
        }
        return outcome
    }

    /// Records one alert. The firing alert with its key, if any, is locked for the rest of the
    /// transaction; two instances inserting the same new key meet at the unique index, and the
    /// one that loses folds its report into the winner's alert.
    static func ingest(_ alert: PreparedAlert, rules: ResponseRules, now: Date, silences: ActiveSilences, outcome: inout IngestOutcome,
                       in session: PostgresSession) throws {
        let report = alert.report
        // The open alert with this key, locked, and any resolved one that started when this
        // report says; a firing report of neither is inserted by the same statement.
        let severity = rules.severity.severity(of: report, at: now)
        let opening = report.status == .firing
            ? Classification.classify(alertID: 0, report: report, severity: severity, incident: nil, rules: rules, now: now).opening : nil
        let (rows, inserted) = try lookUp(alert, insertingAs: report.status == .firing ? severity : nil, opening: opening, now: now,
                                          silences: silences, in: session)
        let open = try rows.first { try $0.value("status", as: String.self) == "firing" }
        switch (report.status, open) {
        case (.resolved, nil):
            outcome.ignored += 1
        case (.resolved, let stored?):
            try resolve(alertID: try stored.value("id"), key: report.dedupKey, incidentID: try stored.value("incident_id"), source: report.source,
                        now: now, in: session)
            outcome.resolved += 1
        case (.firing, nil):
            if !rows.isEmpty {
                // A late repeat of an alert already resolved.
                outcome.ignored += 1
                return
            }
            guard let (alertID, incidentID) = inserted else {
                // Another instance committed the same new alert first: this report is its repeat.
                return try ingest(alert, rules: rules, now: now, silences: silences, outcome: &outcome, in: session)
            }
            outcome.created += 1
            if let silence = try silences.holding(report) {
                try session.write("UPDATE alert SET silenced_by = \(silence.id) WHERE id = \(alertID)")
            }
            if let opening, let incidentID {
                try write(opening, id: incidentID, alertID: alertID, rules: rules, silences: silences, in: session)
                outcome.openedIncidents.append(incidentID)
                outcome.openedSeverities.append(severity)
            }
            let changes = Classification.classify(alertID: alertID, report: report, severity: severity, incident: nil, rules: rules, now: now).changes
            try PostgresRecordWriter.write(changes, in: session)
        case (.firing, let stored?):
            let storedID: Int64 = try stored.value("id")
            let severity = Classification.severity(ofRepeat: report, storedSeverity: Severity(clamping: try stored.value("severity", as: Int.self)),
                                                   storedStart: try stored.date("starts_at"), rules: rules, now: now)
            try session.write("""
                UPDATE alert SET summary = \(report.summary), labels = \(alert.labelsJSON), last_received_at = \(now.millis),
                    receive_count = receive_count + 1, severity = \(severity.rawValue) WHERE id = \(storedID)
                """)
            try PostgresRecordWriter.write([.cancelTimers(.severityReview(alert: storedID))], in: session)
            outcome.deduplicated += 1
            if let incident = try classify(alertID: storedID, report: report, severity: severity, incidentID: try stored.value("incident_id"),
                                           rules: rules, now: now, silences: silences, in: session) {
                outcome.openedIncidents.append(incident)
                outcome.openedSeverities.append(severity)
            }
        }
    }

    /// The rows of the alert with `alert`'s key that decide what it does (the firing one, locked,
    /// and a resolved one that started when it says), and, when `severity` is given and there are
    /// none, the ids of the firing alert inserted for it and of the incident `opening` opens: all
    /// in one statement. Nothing is inserted when another instance holds the key open.
    ///
    /// The alert goes in unsilenced; the silence that holds it is written with the rest of the
    /// transaction, once the silences (asked for with this statement) are read.
    private static func lookUp(_ alert: PreparedAlert, insertingAs severity: Severity?, opening: IncidentOpening?, now: Date,
                               silences: ActiveSilences, in session: PostgresSession)
    throws -> (rows: [PostgresRandomAccessRow], inserted: (alert: Int64, incident: Int64?)?) {
        let report = alert.report
        let existing: PostgresStatement = """
            SELECT id, incident_id, starts_at, severity, status FROM alert WHERE dedup_key = \(report.dedupKey)
                AND (status = 'firing' OR (status = 'resolved' AND starts_at = \(report.startsAt.millis))) FOR UPDATE
            """
        guard let severity else { return (try session.rows(existing), nil) }
        let spare = opening == nil ? nil : session.spareIDs
        let alertRow: PostgresStatement = """
            INSERT INTO alert (id, source, dedup_key, summary, service, labels, status, starts_at, first_received_at, last_received_at, receive_count,
                               severity, details)
            SELECT COALESCE(\(spare?.alert), nextval('alert_id_seq')), \(report.source), \(report.dedupKey), \(report.summary), \(report.service),
                   \(alert.labelsJSON), 'firing', \(report.startsAt.millis), \(now.millis), \(now.millis), 1, \(severity.rawValue), \(alert.detailsJSON)
            WHERE NOT EXISTS (SELECT 1 FROM existing)
            ON CONFLICT (dedup_key) WHERE status = 'firing' DO NOTHING
            RETURNING id
            """
        var query = "WITH existing AS (" + existing + "), alert_row AS (" + alertRow
        if let opening {
            query.append("), opened AS (")
            query.append(try incidentRow(opening, id: spare?.incident, from: "alert_row"))
            query.append(") SELECT alert_row.id, opened.id AS incident_id, NULL::BIGINT AS starts_at, NULL::INTEGER AS severity, 'inserted' AS status FROM alert_row, opened")
        } else {
            query.append(") SELECT id, NULL::BIGINT AS incident_id, NULL::BIGINT AS starts_at, NULL::INTEGER AS severity, 'inserted' AS status FROM alert_row")
        }
        query.append(" UNION ALL SELECT id, incident_id, starts_at, severity, status FROM existing")
        let answer = try session.send(query)
        if let claim = session.commitClaim, let opening {
            // Its first pages as they will be queued (the incident's id aside, and unsilenced:
            // the silences are not read yet), to weigh their rate limits with what this round
            // trip reads.
            let pages = opening.changes(id: 0, silence: nil, rules: claim.rules).compactMap(\.queuedPage)
            try claim.readSends(for: pages, in: session)
        }
        let rows = try session.rows(of: answer)
        let found = try rows.filter { try $0.value("status", as: String.self) != "inserted" }
        guard let row = try rows.first(where: { try $0.value("status", as: String.self) == "inserted" }) else { return (found, nil) }
        if spare != nil { session.spareIDs = nil }
        return (found, (try row.value("id"), try row.value("incident_id", as: Int64?.self)))
    }

    /// The insert of `opening`'s incident, as `id` if given: one row for each row of `source`
    /// if given, else one.
    static func incidentRow(_ opening: IncidentOpening, id: Int64? = nil, from source: String? = nil) throws -> PostgresStatement {
        """
        INSERT INTO incident (id, title, service, severity, stage, runbook_id, opened_at, policy, procedure)
        SELECT COALESCE(\(id), nextval('incident_id_seq')), \(opening.report.summary), \(opening.report.service), \(opening.severity.rawValue),
               \(Stage.reported.rawValue), \(opening.runbook?.id), \(opening.openedAt.millis), \(try Snapshots.policies.text(of: opening.policy)),
               \(try Snapshots.openingRecords.text(of: opening.record))\(unescaped: source.map { " FROM \($0)" } ?? "") RETURNING id
        """
    }

    /// Acts on a firing alert's (new) severity (see `Classification.classify`).
    static func classify(alertID: Int64, report: AlertReport, severity: Severity, incidentID: Int64?, rules: ResponseRules, now: Date,
                         silences: ActiveSilences, in session: PostgresSession) throws -> Int64? {
        let incident = try incidentID.map { id in
            (id: id, severity: Severity(clamping: try session.value("SELECT severity FROM incident WHERE id = \(id) FOR UPDATE", as: Int.self) ?? 4))
        }
        let (opening, changes) = Classification.classify(alertID: alertID, report: report, severity: severity, incident: incident, rules: rules, now: now)
        var opened: Int64?
        if let opening {
            let id = try session.value(incidentRow(opening), as: Int64.self)!
            try write(opening, id: id, alertID: alertID, rules: rules, silences: silences, in: session)
            opened = id
        }
        try PostgresRecordWriter.write(changes, in: session)
        return opened
    }

    /// Writes what opening incident `id` (just inserted) for the alert `alertID` does.
    private static func write(_ opening: IncidentOpening, id: Int64, alertID: Int64, rules: ResponseRules, silences: ActiveSilences,
                             in session: PostgresSession) throws {
        // Nobody else sees the new row before the commit, and its timeline is empty.
        session.lockedIncidents.insert(id)
        session.chainEnds[id] = (0, TimelineEvent.genesisHash)
        try session.write("UPDATE alert SET incident_id = \(id) WHERE id = \(alertID)")
        try PostgresRecordWriter.write(opening.changes(id: id, silence: try silences.holding(opening.report), rules: rules), in: session)
    }

    private static func resolve(alertID: Int64, key: String, incidentID: Int64?, source: String, now: Date, in session: PostgresSession) throws {
        try session.write("UPDATE alert SET status = 'resolved', ends_at = \(now.millis) WHERE id = \(alertID)")
        try PostgresRecordWriter.write([.cancelTimers(.severityReview(alert: alertID))], in: session)
        guard let incidentID else { return }
        try lockIncident(incidentID, in: session)
        let stillFiring = try session.value("SELECT COUNT(*) FROM alert WHERE incident_id = \(incidentID) AND status = 'firing'", as: Int.self) ?? 0
        let pendingSteps = try session.value("SELECT COUNT(*) FROM timer WHERE kind = \(TimerKind.escalation.rawValue) AND incident_id = \(incidentID)",
                                             as: Int.self) ?? 0
        try PostgresRecordWriter.write(AlertResolution.changes(key: key, incidentID: incidentID, source: source, now: now, stillFiring: stillFiring,
                                                               pendingSteps: pendingSteps), in: session)
    }

    static func activeSilences(at now: Date, in session: PostgresSession) throws -> ActiveSilences {
        try ActiveSilences(at: now, in: session)
    }
}
