import Foundation
import Synchronization
import Testing
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinPager
import TocsinPostgres
import TocsinStore
import TocsinTestSupport

/// Several instances on one PostgreSQL database: the database alone decides what two of them
/// do at once. Each test opens a second store (instance "b") beside the test daemon's own
/// (instance "test") on the daemon's database.
@Suite struct SharedDatabaseTests {
    func secondInstance(of daemon: TestDaemon, lease: Duration = .seconds(30)) throws -> PostgresIncidentStore {
        try PostgresIncidentStore(instance: "b", lease: lease, now: daemon.clock.now(), logger: TestDaemon.quietLogger,
                                  open: TestPostgres.connecting(to: try #require(daemon.postgresDatabase), on: try #require(daemon.postgresServer)))
    }

    func report(_ key: String, at now: Date) -> AlertReport {
        AlertReport(source: "alertmanager", dedupKey: key, summary: "Payment API 5xx above 20%", service: "payments-core",
                    labels: ["urgency": "high", "scenario": "total_outage"], startsAt: now)
    }

    /// A daemon on PostgreSQL whose policy pages only the commander, at most `messages` a
    /// destination in ten minutes.
    func commanderOnlyDaemon(sendingAtMost messages: Int) async throws -> TestDaemon {
        try await TestDaemon(backend: .postgres) { rules, _ in
            rules.escalation = DeliveryTests.commanderOnly
            rules.paging.rateLimit = RateLimit(messages: messages, per: .seconds(600))
        }
    }

    /// An opening committed by `store` as an engine whose delivery loop runs commits it: leasing
    /// the first pages it may to its own instance.
    func openLeasing(_ key: String, on store: PostgresIncidentStore, daemon: TestDaemon) throws -> IngestOutcome {
        let now = daemon.clock.now()
        return try store.ingest(batches: [[PreparedAlert(report(key, at: now))]], rules: daemon.engine.rules, now: now, leasingFirstPages: true) { _ in }[0].get()
    }

    @Test func aRosterChangeMadeThroughAnotherInstanceCountsForTheNextStepHere() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei"])
        // Instance "b" stores a stand-in for the commander's backup; this instance never hears of it but from the database.
        let b = try secondInstance(of: daemon)
        let now = daemon.clock.now()
        let change = try daemon.engine.rules.roster.admit(.standIn(person: "priya.raman", standIn: "zhou.min", start: nil, end: now.addingTimeInterval(3600),
                                                                   reason: nil), by: "priya.raman", now: now)
        _ = try await onOwnThread { try b.addRosterChange(change) }
        await daemon.advance(by: 300)
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei", "/zhou.min"])
    }

    @Test func aColumnAddedByANewerInstancesMigrationLeavesThisInstanceServing() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let store = daemon.engine.store
        let id = try #require(try store.incidents().first?.id)
        // Read more than once: from the second time, its statements run prepared.
        let timeline = try store.timeline(id)
        #expect(try store.timeline(id) == timeline)
        #expect(try store.timeline(id) == timeline)
        // A newer release's migration, run by another instance during a rolling upgrade.
        for table in ["incident", "event", "page", "timer", "escalation", "alert"] {
            try TestPostgres.execute("ALTER TABLE \(table) ADD COLUMN added_by_a_newer_release TEXT", in: try #require(daemon.postgresDatabase),
                                     on: try #require(daemon.postgresServer))
        }
        #expect(try store.timeline(id) == timeline)
        await daemon.advance(by: 300)
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei", "/priya.raman"], "the next step still fires and pages")
    }

    /// Leasing, an opening goes to the database as one statement that assumes the key is new
    /// (`FreshOpening`); without, as a transaction that looks it up first.
    @Test(arguments: [false, true]) func theSameAlertReachingTwoInstancesAtOnceIsOneAlertAndOneIncident(leasing: Bool) async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        let keys = (1...12).map { "pair-\($0)" }
        // Both members of an Alertmanager pair send every alert, each to its own instance, at once.
        try await withThrowingTaskGroup(of: IngestOutcome.self) { group in
            for key in keys {
                for store in [a, b] as [any IncidentStore] {
                    group.addTask {
                        try store.ingest(batches: [[PreparedAlert(report(key, at: now))]], rules: rules, now: now, leasingFirstPages: leasing) { _ in }[0].get()
                    }
                }
            }
            var created = 0, deduplicated = 0
            for try await outcome in group {
                created += outcome.created
                deduplicated += outcome.deduplicated
            }
            #expect(created == keys.count && deduplicated == keys.count, "each key created once and folded once")
        }
        #expect(try a.alertCounts().firing == keys.count)
        let incidents = try b.incidents()
        #expect(incidents.count == keys.count)
        for incident in incidents {
            let queued = try a.timeline(incident.id).filter { $0.kind == .pageQueued }
            #expect(queued.map { $0.detail["person"] } == ["chen.wei"], "the commander's first page is queued once")
        }
        #expect(try a.verifyTimelines().broken.isEmpty)
    }

    @Test func aSilenceMadeOrEndedThroughAnotherInstanceHoldsTheNextNewAlertHere() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        func low(_ key: String) -> [PreparedAlert] {
            [PreparedAlert(AlertReport(source: "test", dedupKey: key, summary: "disk usage high", service: "reporting", labels: ["urgency": "low"],
                                       startsAt: now))]
        }
        func silencedBy(_ key: String) throws -> Int64? { try a.alerts().first { $0.report.dedupKey == key }?.silencedBy }
        _ = try a.ingest(batches: [low("before")], rules: rules, now: now)
        let silence = try b.createSilence(SilenceRequest(matchers: [SilenceMatcher(name: "service", value: "reporting")], startsAt: nil,
                                                         endsAt: now.addingTimeInterval(3600), comment: "reporting database upgrade"),
                                          by: "chen.wei", now: now)
        _ = try a.ingest(batches: [low("during")], rules: rules, now: now)
        _ = try b.expireSilence(silence.id, by: "chen.wei", rules: rules, now: now)
        _ = try a.ingest(batches: [low("after")], rules: rules, now: now)
        #expect(try silencedBy("before") == nil)
        #expect(try silencedBy("during") == silence.id, "instance a heard of the silence only from the database")
        #expect(try silencedBy("after") == nil)
    }

    @Test(arguments: [false, true]) func aSilenceMadeOrEndedThroughAnotherInstanceHoldsTheNextIncidentOpenedHere(leasing: Bool) async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        func open(_ key: String) throws -> (incident: Int64, silencedBy: Int64?, pagesQueued: Int) {
            let outcome = try a.ingest(batches: [[PreparedAlert(report(key, at: now))]], rules: rules, now: now, leasingFirstPages: leasing) { _ in }[0].get()
            let incident = try #require(outcome.openedIncidents.first)
            return (incident, try a.alerts().first { $0.report.dedupKey == key }?.silencedBy,
                    try a.timeline(incident).filter { $0.kind == .pageQueued }.count)
        }
        let before = try open("opened-before")
        let silence = try b.createSilence(SilenceRequest(matchers: [SilenceMatcher(name: "service", value: "payments-core")], startsAt: nil,
                                                         endsAt: now.addingTimeInterval(3600), comment: "card network maintenance"),
                                          by: "chen.wei", now: now)
        let during = try open("opened-during")
        _ = try b.expireSilence(silence.id, by: "chen.wei", rules: rules, now: now)
        let after = try open("opened-after")
        #expect(before.silencedBy == nil && before.pagesQueued > 0)
        #expect(during.silencedBy == silence.id, "instance a heard of the silence only from the database")
        #expect(during.pagesQueued == 0, "nobody is paged for an incident opened under a silence")
        #expect(after.silencedBy == nil && after.pagesQueued > 0)
    }

    /// An opening sent as one statement assumes what it cannot know without asking; when that
    /// does not hold, the alert is taken as the usual transaction takes it, and nothing of the
    /// statement stays behind.
    @Test func anOpeningThatFindsItsKeyTakenIsARepeatAndLeavesNothingBehind() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        let first = try openLeasing("taken", on: b, daemon: daemon)
        #expect(first.openedIncidents.count == 1 && first.leasedPages.count == 1)
        let repeated = try openLeasing("taken", on: b, daemon: daemon)
        #expect(repeated.deduplicated == 1 && repeated.openedIncidents.isEmpty && repeated.leasedPages.isEmpty, "a repeat of a firing alert")
        _ = try a.ingest([AlertReport(source: "alertmanager", dedupKey: "taken", summary: "resolved", service: "payments-core", status: .resolved,
                                      startsAt: now)], rules: rules, now: now)
        let late = try openLeasing("taken", on: b, daemon: daemon)
        #expect(late.ignored == 1 && late.openedIncidents.isEmpty, "a late repeat of the resolved alert")
        for key in ["next", "last"] {
            let opened = try openLeasing(key, on: b, daemon: daemon)
            #expect(opened.openedIncidents.count == 1 && opened.leasedPages.count == 1)
        }
        #expect(try a.incidents().map(\.id).sorted() == [1, 2, 3], "no number skipped for the statements that wrote nothing")
        #expect(try a.alerts().map(\.report.dedupKey).sorted() == ["last", "next", "taken"])
        for incident in try a.incidents() {
            #expect(try a.timeline(incident.id).filter { $0.kind == .pageQueued }.count == 1, "one first page each")
        }
        #expect(try a.verifyTimelines().broken.isEmpty)
    }

    @Test func aDueTimerFiresOnOneInstanceOnly() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, opened = daemon.clock.now()
        _ = try a.ingest([report("timer-once", at: opened)], rules: rules, now: opened)
        let due = opened.addingTimeInterval(300)
        async let firedByA = Task { try a.fireDueTimers(rules: rules, now: due) }.value
        async let firedByB = Task { try b.fireDueTimers(rules: rules, now: due) }.value
        let fired = try await (firedByA + firedByB).filter { $0.kind == TimerKind.escalation.rawValue }
        #expect(fired.count == 1, "the backup's step fired once between both instances")
        let backup = try a.timeline(1).filter { $0.kind == .pageQueued && $0.detail["person"] == "priya.raman" }
        #expect(backup.count == 1)
    }

    @Test func aPageLeasedByAnInstanceThatDiedIsSentByAnotherUnderTheSameKey() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let dying = try secondInstance(of: daemon, lease: .seconds(30))
        let survivor = daemon.engine.store
        let rules = daemon.engine.rules, now = daemon.clock.now()
        _ = try survivor.ingest([report("lease", at: now)], rules: rules, now: now)
        let taken = try dying.claimDuePages(now: now, rules: rules)
        #expect(taken.count == 1)
        // The instance dies here, before it records the attempt.
        #expect(try survivor.claimDuePages(now: now.addingTimeInterval(10), rules: rules).isEmpty, "leased pages are not sent twice")
        #expect(try survivor.nextPageDue() == now.addingTimeInterval(30), "due again when the lease lapses")
        let retaken = try survivor.claimDuePages(now: now.addingTimeInterval(31), rules: rules)
        #expect(retaken.map(\.idempotencyKey) == taken.map(\.idempotencyKey) && retaken.map(\.id) == taken.map(\.id))
        try survivor.recordDelivery(of: retaken[0], result: DeliveryResult(status: 200, latency: .milliseconds(2), error: nil),
                                    now: now.addingTimeInterval(31))
        // Had the first instance only been slow, its late record changes nothing.
        try dying.recordDelivery(of: taken[0], result: DeliveryResult(status: 200, latency: .milliseconds(2), error: nil), now: now.addingTimeInterval(32))
        #expect(try survivor.timeline(1).filter { $0.kind == .pageSent }.count == 1)
    }

    /// An opening committed by an engine whose delivery loop runs leases its first pages to its
    /// own instance in the same commit: nobody claims them while it lives, and should it die
    /// before sending them, another instance sends them under the same keys once the lease lapses.
    @Test func anOpeningsFirstPageIsLeasedToItsInstanceAtCommitAndSentElsewhereOnlyAfterTheLeaseLapses() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let opening = try secondInstance(of: daemon, lease: .seconds(30))
        let survivor = daemon.engine.store
        let rules = daemon.engine.rules, now = daemon.clock.now()
        let outcome = try opening.ingest(batches: [[PreparedAlert(report("leased-at-commit", at: now))]], rules: rules, now: now,
                                         leasingFirstPages: true) { _ in }[0].get()
        #expect(outcome.openedIncidents == [1] && outcome.firstPagesLeased)
        let leased = outcome.leasedPages
        #expect(leased.map(\.person) == ["chen.wei"], "the commander's first page, leased at commit")
        #expect(try survivor.claimDuePages(now: now, rules: rules).isEmpty, "another instance does not take it")
        #expect(try opening.claimDuePages(now: now.addingTimeInterval(10), rules: rules).isEmpty, "nor does a claim of its own instance")
        // The opening instance dies here, before it sends the page.
        #expect(try survivor.nextPageDue() == now.addingTimeInterval(30), "due again when the lease lapses")
        let retaken = try survivor.claimDuePages(now: now.addingTimeInterval(31), rules: rules)
        #expect(retaken.map(\.idempotencyKey) == leased.map(\.idempotencyKey) && retaken.map(\.id) == leased.map(\.id))
        try survivor.recordDelivery(of: retaken[0], result: DeliveryResult(status: 200, latency: .milliseconds(2), error: nil),
                                    now: now.addingTimeInterval(31))
        #expect(try survivor.timeline(1).filter { $0.kind == .pageSent }.count == 1)
    }

    /// First pages leased at commit count against the rate limit as claimed ones do: within
    /// it they are taken, past it they are left to the claim, which holds them back for room.
    @Test func firstPagesLeasedAtCommitKeepTheRateLimit() async throws {
        let daemon = try await commanderOnlyDaemon(sendingAtMost: 2)
        defer { daemon.stop() }
        let store = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        func open(_ key: String) throws -> IngestOutcome { try openLeasing(key, on: store, daemon: daemon) }
        let first = try open("first"), second = try open("second"), third = try open("third")
        #expect(first.leasedPages.count == 1 && first.firstPagesLeased)
        #expect(second.leasedPages.count == 1 && second.firstPagesLeased)
        #expect(third.leasedPages.isEmpty && !third.firstPagesLeased, "past the limit: left to the claim")
        for page in first.leasedPages + second.leasedPages {
            try store.recordDelivery(of: page, result: DeliveryResult(status: 200, latency: .milliseconds(2), error: nil), now: now)
        }
        #expect(try store.claimDuePages(now: now, rules: rules).isEmpty, "the claim holds it back for room")
        #expect(try store.nextPageDue() == now.addingTimeInterval(600))
        #expect(try store.claimDuePages(now: now.addingTimeInterval(600), rules: rules).map(\.incidentID) == third.openedIncidents)
    }

    /// Other instances hear of an opening's first page for when they may send it: when the
    /// lease lapses if the commit leased it, at once if it left it to a claim. Told "now" of a
    /// leased page, each of them looked a second later and found it taken.
    @Test func otherInstancesHearOfALeasedFirstPageForWhenItsLeaseLapses() async throws {
        let daemon = try await commanderOnlyDaemon(sendingAtMost: 1)
        defer { daemon.stop() }
        let listening = try #require(daemon.engine.store as? PostgresIncidentStore)
        let heard = Mutex<[Date]>([])
        let watch = Task { await listening.watchForWork { due in heard.withLock { $0.append(due) } } }
        defer { watch.cancel() }
        try await Polling.until("the other instance listens") { heard.withLock { $0.contains(.distantPast) } }
        let opening = try secondInstance(of: daemon, lease: .seconds(30))
        let now = daemon.clock.now()
        func open(_ key: String) throws -> IngestOutcome { try openLeasing(key, on: opening, daemon: daemon) }

        #expect(try open("leased").firstPagesLeased)
        // A transaction's notifications arrive together, so any "now" would have come with it.
        try await Polling.until("the lease's end is heard of", state: { "\(heard.withLock { $0 })" }) {
            heard.withLock { $0.contains(now.addingTimeInterval(30)) }
        }
        #expect(!heard.withLock { $0.contains(now) })

        #expect(try !open("past-the-limit").firstPagesLeased)
        try await Polling.until("a page left to the claim is heard of as due now", state: { "\(heard.withLock { $0 })" }) {
            heard.withLock { $0.contains(now) }
        }
    }

    /// An opening whose first pages are leased at commit tells the deadlines it wrote, which
    /// are what reading them back finds: the engine wakes its loops for these without two more
    /// round trips. One that leaves a page to the claim does not, and the engine reads them
    /// after the claim.
    @Test func anOpeningTellsTheDeadlinesItWroteUnlessItLeftAPageToTheClaim() async throws {
        let daemon = try await commanderOnlyDaemon(sendingAtMost: 1)
        defer { daemon.stop() }
        let store = try secondInstance(of: daemon)
        let now = daemon.clock.now()
        func open(_ key: String) throws -> IngestOutcome { try openLeasing(key, on: store, daemon: daemon) }

        let leased = try open("leased")
        let written = try #require(leased.deadlinesWritten)
        let firstTimer = try #require(try store.nextTimerDue())
        #expect(firstTimer > now && written.timer == firstTimer)
        #expect(written.page == nil, "its one page is leased and on its way")

        let left = try open("past-the-limit")
        #expect(!left.firstPagesLeased && left.deadlinesWritten == nil)
    }

    @Test func twoInstancesWritingToOneIncidentKeepItsChainWhole() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        _ = try a.ingest([report("chain", at: now)], rules: rules, now: now)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                let store: any IncidentStore = index.isMultiple(of: 2) ? a : b
                group.addTask { _ = try store.apply(.note("note \(index)"), to: 1, by: "chen.wei", rules: rules, now: now) }
            }
            try await group.waitForAll()
        }
        let timeline = try b.timeline(1)
        #expect(timeline.filter { $0.kind == .noteAdded }.count == 16)
        #expect(timeline.chainProblem() == nil)
    }

    /// A first page's delivery is recorded where the instance's own opening left the
    /// incident's timeline; a note added through another instance in between moves that end,
    /// and the record still lands after it, the chain whole.
    @Test func aDeliveryRecordedAfterAnotherInstanceWroteToTheIncidentFollowsThatWrite() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        let delivered = DeliveryResult(status: 200, latency: .milliseconds(2), error: nil)
        let quiet = try openLeasing("quiet", on: b, daemon: daemon)
        let busy = try openLeasing("busy", on: b, daemon: daemon)
        let quietPage = try #require(quiet.leasedPages.first), busyPage = try #require(busy.leasedPages.first)
        _ = try a.apply(.note("seen on the dashboard"), to: busyPage.incidentID, by: "chen.wei", rules: rules, now: now)

        #expect(try b.recordDeliveries([(quietPage, delivered), (busyPage, delivered)], now: now, retry: rules.paging.retry, random: { 0.5 })
                == [.sent(attempts: 1, at: now), .sent(attempts: 1, at: now)])
        for incident in [quietPage.incidentID, busyPage.incidentID] {
            let timeline = try a.timeline(incident)
            #expect(timeline.chainProblem() == nil)
            #expect(timeline.filter { $0.kind == .pageSent }.count == 1)
            #expect(timeline.last?.kind == .pageSent)
        }
        #expect(try a.timeline(busyPage.incidentID).map(\.kind).suffix(2) == [.noteAdded, .pageSent])
        #expect(try a.claimDuePages(now: now.addingTimeInterval(31), rules: rules).isEmpty, "sent pages are not sent again")
    }

    /// Deliveries recorded by the instance that opened their incidents while another instance
    /// writes notes to the same incidents: every note and every delivery lands once, and each
    /// chain stays one line.
    @Test func deliveriesAndAnotherInstancesNotesOnTheSameIncidentsAllLandOnce() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        let a = daemon.engine.store, b = try secondInstance(of: daemon)
        let rules = daemon.engine.rules, now = daemon.clock.now()
        let pages = try (0..<20).flatMap { try openLeasing("incident-\($0)", on: b, daemon: daemon).leasedPages }
        #expect(pages.count == 20)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for page in pages {
                group.addTask {
                    _ = try b.recordDeliveries([(page, DeliveryResult(status: 200, latency: .milliseconds(2), error: nil))], now: now,
                                               retry: rules.paging.retry, random: { 0.5 })
                }
                group.addTask { _ = try a.apply(.note("looking"), to: page.incidentID, by: "chen.wei", rules: rules, now: now) }
            }
            try await group.waitForAll()
        }
        for page in pages {
            let timeline = try a.timeline(page.incidentID)
            #expect(timeline.chainProblem() == nil)
            #expect(timeline.filter { $0.kind == .pageSent }.count == 1 && timeline.filter { $0.kind == .noteAdded }.count == 1)
        }
    }
}

/// The database going away and coming back, on a server of the test's own.
@Suite struct DatabaseOutageTests {
    @Test func whileTheDatabaseIsDownAlertsGet503WithRetryAfterAndTheInstanceServesAgainOnceItIsBack() async throws {
        let server = try await ScratchPostgres.started()
        defer { server.stop() }
        let daemon = try await TestDaemon(backend: .postgres, postgres: TestPostgres.Server(server))
        defer { daemon.stop() }
        let (watch, fallback, receiver) = try await FallbackAlarmTests.watchWithReceiverOfItsOwn(daemon.engine)
        defer { receiver.task.cancel() }
        let now = daemon.clock.now()
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: "before", startsAt: now)).status == 202)

        try await server.kill()
        #expect(await watch.check()?.kind == .raised, "the fallback contact hears at once, without the database")
        let refused = await daemon.postAlert(TestDaemon.alertJSON(key: "during", startsAt: now))
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] == "5")
        #expect(refused.headers["content-type"]?.hasPrefix("application/problem+json") == true)
        #expect(refused.text.contains("cannot store anything right now") && !refused.text.contains("PSQLError"), "\(refused.text)")

        try await server.start()
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: "after", startsAt: now)).status == 202, "served again without a restart")
        let keys = try daemon.engine.store.alerts().map(\.report.dedupKey)
        #expect(Set(keys) == ["before", "after"], "what got a 202 is there, what got a 503 is not")

        #expect(await watch.check()?.kind == .recovered)
        #expect(fallback.pages.map { $0.json["kind"] as? String } == ["tocsin_fallback_raised", "tocsin_fallback_recovered"])
        let record = await daemon.request("GET", "/api/v1/system/events", token: "token-chen")
        let events = try #require(try JSONSerialization.jsonObject(with: record.body) as? [[String: Any]], "\(record.text)")
        #expect(events.map { $0["kind"] as? String } == ["fallback_raised", "fallback_recovered"],
                "the message sent while the database was down is on the system timeline once it is back")
        #expect(events.allSatisfy { ($0["detail"] as? [String: String])?["contacts"] == "webhook #1 delivered" }, "\(record.text)")
    }
}

/// The database's primary dies and its synchronous replica is promoted.
@Suite struct FailoverTests {
    @Test func aPromotedReplicaIsFoundByItselfAndHoldsEveryCommittedAlert() async throws {
        let primary = try await ScratchPostgres.started()
        defer { primary.stop() }
        let replica = try await ScratchPostgres.replica(of: primary)
        defer { replica.stop() }
        let daemon = try await TestDaemon(backend: .postgres, postgres: TestPostgres.Server(primary))
        defer { daemon.stop() }
        let name = try #require(daemon.postgresDatabase)
        // The same database through both hosts, as `database: postgres://…@primary,replica/…` gives it.
        let store = try PostgresIncidentStore(
            instance: "failover", now: daemon.clock.now(), logger: TestDaemon.quietLogger,
            open: PostgresIncidentStore.connecting(hosts: [("127.0.0.1", primary.port), ("127.0.0.1", replica.port)], username: "postgres",
                                                   password: nil, database: name, logger: TestDaemon.quietLogger))
        let rules = daemon.engine.rules, now = daemon.clock.now()
        func alert(_ key: String) -> AlertReport {
            AlertReport(source: "prometheus", dedupKey: key, summary: "Payment API 5xx above 20%", service: "payments-core",
                        labels: ["urgency": "high"], startsAt: now)
        }
        #expect(try store.ingest([alert("before-failover")], rules: rules, now: now).openedIncidents == [1])

        try await primary.kill()
        #expect(throws: StoreError.self, "with the primary gone and the replica not yet promoted, nothing takes writes") {
            try store.ingest([alert("between")], rules: rules, now: now)
        }
        try await replica.promote()
        let after = try store.ingest([alert("after-failover")], rules: rules, now: now)
        // Incident numbers may skip ahead after a failover (PostgreSQL logs sequences in steps of 32).
        #expect(after.created == 1 && after.openedIncidents.count == 1 && after.openedIncidents[0] > 1,
                "served again by the promoted replica without a restart")
        let keys = Set(try store.alerts().map(\.report.dedupKey))
        #expect(keys == ["before-failover", "after-failover"], "the commit acknowledged before the failover is on the replica")
        #expect(try store.verifyTimelines().broken.isEmpty)
    }
}

/// `tocsin verify --database postgres://…`: the tamper-evident record checked in place.
@Suite struct PostgresVerifyTests {
    @Test func verifyReadsEveryChainAndNamesAnEventEditedInTheDatabase() async throws {
        let daemon = try await TestDaemon(backend: .postgres)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "one", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "two", service: "settlement", startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(await daemon.request("POST", "/api/v1/incidents/2/ack", token: "token-chen").status == 200)
        let server = try #require(daemon.postgresServer), database = try #require(daemon.postgresDatabase)
        let address = "postgres://\(server.username)@\(server.host):\(server.port)/\(database)"

        let intact = try await TocsinBuild.cli(["verify", "--database", address])
        #expect(intact.status == 0 && intact.output.contains("every hash chain intact"), "\(intact.output)")
        try TestPostgres.execute(#"UPDATE event SET detail = '{"summary":"nothing happened"}' WHERE incident_id = 2 AND seq = 2"#, in: database, on: server)
        let edited = try await TocsinBuild.cli(["verify", "--database", address])
        #expect(edited.status == 1)
        #expect(edited.output.contains("incident 2: event 2 (alert_received) does not match"), "\(edited.output)")
        #expect(!edited.output.contains("incident 1:"), "the other incident is intact")

        let unreachable = try await TocsinBuild.cli(["verify", "--database", "postgres://postgres@127.0.0.1:\(try LoopbackPort.free())/\(database)"])
        #expect(unreachable.status != 0 && unreachable.output.contains("Cannot read postgres://postgres@127.0.0.1:"), "\(unreachable.output)")
    }
}
