import Foundation
import Logging
import Synchronization
import TocsinCore
import TocsinPager
import TocsinStore

/// Fires due timers and delivers the pages they queue.
///
/// The timers themselves are rows in the store; the engine only decides when to look.
/// Two loops run side by side: one sleeps until the earliest timer is due (or until poked)
/// and fires every due timer in batched transactions, so it fires on the deadline rather than
/// on a polling tick; the other keeps up to `concurrency` pages in flight on the transfer
/// threads and records their results in group commits. A slow receiver never delays a timer.
/// An incident's first pages do not wait for either loop: the commit that opened it starts
/// them. A restarted engine fires overdue rows at once.
public final class Engine: Sendable {
    public let store: any IncidentStore
    /// The rules in force, roster changes included; replaced by a roster change or a reload.
    public let current: CurrentRules
    public let clock: any TimeSource
    let logger: Logger
    let concurrency: Int
    let random: @Sendable () -> Double
    /// Hears each batch of fired timers with the time its transaction committed.
    let onTimersFired: @Sendable ([FiredTimer], Date) -> Void
    let metrics: ServiceMetrics
    private static let timerThread = LoopThread(name: "tocsin-timers")
    private static let deliveryThread = LoopThread(name: "tocsin-delivery")
    private static let recordBatch = 16
    private let timerWake = WakeSignal()
    private let timerAlarm = TimerAlarm()
    private let deliveryWake = WakeSignal()
    private let sender: PageSender
    private let commits: GroupCommit
    /// When the last ingest failed because the record could not be written, and why; cleared
    /// by the next that succeeds.
    private let writeFailure = Mutex<(at: Date, reason: String)?>(nil)
    private let deliveries = Mutex(DeliveryHealth())
    /// How late a due timer or page may be before the daemon says it is not keeping up.
    private let overdueAfter: TimeInterval
    /// Wakes both loops: new work may be due now.
    private let wakeLoops: @Sendable () -> Void
    /// When the next retention pass is due (nil: at once); held while a pass runs, so passes never overlap.
    private let nextRetentionPass = Mutex<Date?>(nil)
    /// Whether the shift starts were planned since this engine started.
    let shiftStartsPlanned = Mutex(false)

    public init(store: any IncidentStore, rules: ResponseRules, delivery: PageDelivery, clock: any TimeSource,
                logger: Logger = Logger(label: "tocsin.engine"), concurrency: Int = 64, overdueAfter: Duration = .seconds(Readiness.defaultLateness),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                onTimersFired: @escaping @Sendable ([FiredTimer], Date) -> Void = { _, _ in }, metrics: ServiceMetrics = ServiceMetrics()) {
        self.metrics = metrics
        self.store = store
        current = CurrentRules(configured: rules, delivery: delivery)
        self.clock = clock
        self.logger = logger
        self.concurrency = concurrency
        self.overdueAfter = overdueAfter.seconds
        self.random = random
        self.onTimersFired = onTimersFired
        let wakeLoops: @Sendable () -> Void = { [timerWake, timerAlarm, deliveryWake] in
            timerWake.signal()
            timerAlarm.signal()
            deliveryWake.signal()
        }
        self.wakeLoops = wakeLoops
        let sender = PageSender(store: store, rules: current, clock: clock, concurrency: concurrency, attemptFinished: deliveryWake)
        self.sender = sender
        commits = GroupCommit(store: store, currentRules: { [current] in current.rules }, clock: clock,
                              leasingFirstPages: { sender.takesLeasedPages }) { [timerWake, timerAlarm, deliveryWake] outcomes in
            // Pages the commit leased to this instance go at once, without a claim.
            let leased = outcomes.flatMap(\.leasedPages)
            if !leased.isEmpty { sender.sendLeased(leased) }
            // An incident opened: its first pages are queued, due now.
            guard outcomes.contains(where: { !$0.openedIncidents.isEmpty }) else { return }
            if outcomes.contains(where: { !$0.openedIncidents.isEmpty && !$0.firstPagesLeased }) {
                do {
                    try sender.sendDueFromCommit()
                } catch {
                    logger.error("sending the first pages failed: \(error)")
                    deliveryWake.signal()
                }
            }
            // Its timers and later pages wake a loop only if it would sleep past the first of
            // them. Waking both loops for every incident cost a sixth of the processor time
            // of taking an alert, while its first pages were on their way; so does reading
            // them back, where the store does not tell them.
            do {
                let next = try DeadlinesWritten.merged(outcomes.map(\.deadlinesWritten))
                    ?? DeadlinesWritten(timer: store.nextTimerDue(justCommitted: true), page: sender.nextPageDue(justCommitted: true))
                if let due = next.timer {
                    timerAlarm.signal(dueAt: due)
                    timerWake.signal(dueAt: due)
                }
                if let due = next.page { deliveryWake.signal(dueAt: due) }
            } catch {
                logger.error("reading the next deadlines failed: \(error)")
                wakeLoops()
            }
        }
    }

    /// The rules in force now, roster changes included.
    public var rules: ResponseRules { current.rules }

    /// Records alerts with the group commit shared by all concurrent callers; when an incident
    /// opened, the commit starts its first pages and wakes the loops its timers need.
    /// `source` names the endpoint they came in through, for the metrics.
    public func ingest(_ reports: [AlertReport], from source: String = "api") async throws -> IngestOutcome {
        let start = ContinuousClock.now
        do {
            let outcome = try await commits.ingest(reports)
            metrics.committed(after: ContinuousClock.now - start)
            metrics.received(outcome, from: source)
            writeFailure.withLock { $0 = nil }
            return outcome
        } catch let error as StoreError {
            metrics.notRecorded(reports.count, from: source)
            if case .unavailable(let reason) = error { writeFailure.withLock { $0 = (clock.now(), reason) } }
            throw error
        }
    }

    /// Whether this daemon can do its work now: its last write went through, and no timer or
    /// page is long overdue.
    public func readiness() -> Readiness {
        do {
            return Readiness(lastWriteFailure: writeFailure.withLock { $0 }, deliveries: deliveries.withLock { $0 }, earliestTimer: try store.nextTimerDue(justCommitted: false),
                             earliestPage: try store.nextPageDue(excluding: [], justCommitted: false), now: clock.now(), lateness: overdueAfter)
        } catch {
            return Readiness(unreadable: "\(error)")
        }
    }

    /// Stops taking alerts once those already handed in are committed.
    public func shutdown() {
        commits.stop()
    }

    /// For a graceful stop, while `run` still runs: claims no more pages, waits up to `timeout`
    /// for the attempts already on their way to finish and be recorded, and returns how many
    /// were still unrecorded then. Their pages stay in the outbox, claimable after a restart
    /// (again under the same idempotency key), so nothing is lost.
    public func drain(timeout: Duration) async -> Int {
        sender.stopSending()
        let deadline = ContinuousClock.now + timeout
        while sender.attemptsUnrecorded > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return sender.attemptsUnrecorded
    }

    /// Tells the running loops that new work may be due now.
    public func poke() {
        wakeLoops()
    }

    /// How long another instance has to send the pages it has just queued before this one
    /// looks at them: it claims them at once unless it died, so looking sooner only finds them
    /// taken.
    static let othersFirst: TimeInterval = 1

    /// Tells the running loops that another instance committed work falling due at `due`: they
    /// look at it then, or `othersFirst` from now if it is due sooner; a loop that would wake
    /// by then anyway sleeps on.
    public func workElsewhere(dueAt due: Date) {
        let look = max(due, clock.now().addingTimeInterval(Self.othersFirst))
        timerWake.signal(by: look, clock: clock)
        // The timer loop on its own thread looks at least once a second anyway.
        timerAlarm.signal(dueAt: look)
        deliveryWake.signal(by: look, clock: clock)
    }

    /// Fires everything due now and delivers every page due now, returning when all
    /// attempts are recorded. Only one caller at a time, and not while `run` runs: a test
    /// driving time calls this after each move of the clock.
    public func runDue() async {
        do {
            while true {
                let fired = try fireDue().fired
                let pages = try store.claimDuePages(now: clock.now(), rules: rules)
                if fired.isEmpty && pages.isEmpty { break }
                // Internal people hear first; external ones once those attempts are done.
                try record(await deliver(pages.filter { !$0.isExternal }))
                try record(await deliver(pages.filter(\.isExternal)))
            }
        } catch {
            logger.error("engine pass failed: \(error)")
        }
        archiveIfDue()
    }

    /// Archives and removes what retention no longer keeps, now, whatever the schedule;
    /// nil when retention is not configured.
    public func archive() throws -> ArchiveSummary? {
        try archive(onlyIfDue: false)
    }

    private func archiveIfDue() {
        guard rules.retention != nil else { return }
        do {
            _ = try archive(onlyIfDue: true)
        } catch {
            logger.error("archiving failed: \(error)")
        }
    }

    private func archive(onlyIfDue: Bool) throws -> ArchiveSummary? {
        guard let retention = rules.retention else { return nil }
        return try nextRetentionPass.withLock { next in
            let now = clock.now()
            if onlyIfDue, let next, now < next { return nil }
            next = now.addingTimeInterval(retention.every.seconds)
            return try RetentionPass(store: store, rules: rules, retention: retention, now: now, logger: logger).run()
        }
    }

    private func deliver(_ pages: [OutboundPage]) async -> [(OutboundPage, DeliveryResult)] {
        await withTaskGroup(of: (OutboundPage, DeliveryResult).self) { group in
            let delivery = current.delivery
            for page in pages { group.addTask { (page, await delivery.deliver(page)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// Applies a procedure command and makes the calls out it asks for: the stop-trade or
    /// resume-trade call happens after the approval commits, and its answer is recorded as
    /// its own command, so a failed call leaves the incident where it was.
    /// A drill's call never reaches the platform (`drillTradeSwitch`).
    public func perform(_ command: ProcedureCommand, on incidentID: Int64, by actor: String) async throws -> ProcedureOutcome {
        let rules = rules
        var outcome: ProcedureOutcome
        do {
            outcome = try store.apply(command, to: incidentID, by: actor, rules: rules, now: clock.now())
        } catch let refusal as ProcedureError {
            try recordIfDrill(refusal, of: command, on: incidentID, by: actor)
            throw refusal
        }
        for case .callTradeSwitch(let stop) in outcome.effects {
            let answer: (succeeded: Bool, answer: String)
            if try store.incident(incidentID).isDrill {
                answer = try await drillTradeSwitch(stop: stop, incidentID: incidentID, orderedBy: actor, what: outcome.record.stopTrading?.what)
            } else {
                guard let endpoints = rules.procedure.tradeSwitch else { continue }
                answer = await TradeSwitchCall(endpoints: endpoints).send(stop: stop, incidentID: incidentID, orderedBy: actor, what: outcome.record.stopTrading?.what)
            }
            outcome = try store.apply(.recordTradeSwitch(stop: stop, succeeded: answer.succeeded, answer: answer.answer),
                                      to: incidentID, by: "tocsin", rules: rules, now: clock.now())
        }
        poke()
        return outcome
    }

    /// Fires what is due; returns it and when the next timer falls due.
    private func fireDue() throws -> (fired: [FiredTimer], nextDue: Date?) {
        // Another instance sharing the database may have changed the roster meanwhile; this
        // one's own changes are in force from the moment they are made.
        if store.changes.othersCommit { try refreshRosterChanges() }
        var pass = try store.firingPass(rules: rules, now: clock.now()) { batch in
            let firedAt = clock.now()
            metrics.fired(batch, at: firedAt)
            onTimersFired(batch, firedAt)
        }
        if pass.fired.contains(where: { $0.kind == TimerKind.shiftStart.rawValue }) {
            try planShiftStarts()
            pass.nextDue = try store.nextTimerDue()
        }
        return pass
    }

    private func record(_ outcomes: [(OutboundPage, DeliveryResult)]) throws {
        let now = clock.now()
        deliveries.withLock { health in
            for (page, result) in outcomes { health.note(delivered: result.delivered, destination: page.destination, error: result.error, at: now) }
        }
        let progress = try store.recordDeliveries(outcomes, now: now, retry: current.rules.paging.retry, random: random)
        metrics.attempted(outcomes, progress: progress)
        for (page, result) in outcomes where !result.delivered {
            logger.warning("page \(page.idempotencyKey) to \(page.url) failed: \(result.error ?? "?")")
        }
    }

    /// Runs both loops until the task is cancelled.
    public func run() async {
        logger.info("engine started")
        if !DeadlinePriority.isAllowed {
            logger.notice("""
                timers and deliveries run at normal priority: a busy host may delay them; \
                give tocsind CAP_SYS_NICE or LimitNICE=\(DeadlinePriority.nice) to run them first
                """)
        }
        await withDiscardingTaskGroup { group in
            group.addTask(executorPreference: Self.timerThread) {
                await withTaskCancellationHandler {
                    await self.runTimers()
                } onCancel: {
                    self.timerAlarm.signal()
                }
            }
            group.addTask(executorPreference: Self.deliveryThread) { await self.runDeliveries() }
            if let retention = rules.retention {
                group.addTask { await self.runRetention(every: retention.every) }
            }
        }
    }

    private func runRetention(every interval: Duration) async {
        while !Task.isCancelled {
            archiveIfDue()
            let next = nextRetentionPass.withLock { $0 } ?? clock.now().addingTimeInterval(interval.seconds)
            try? await clock.sleep(until: next)
        }
    }

    private func runTimers() async {
        while !Task.isCancelled {
            let next: Date?
            do {
                let pass = try fireDue()
                if !pass.fired.isEmpty { deliveryWake.signal() }
                next = pass.nextDue
            } catch {
                logger.error("firing timers failed: \(error)")
                next = clock.now().addingTimeInterval(1)
            }
            if clock is SystemClock {
                // On its own thread against the wall clock: a precise blocking wait.
                timerAlarm.wait(until: min(next ?? .distantFuture, clock.now().addingTimeInterval(1)))
            } else {
                await timerWake.wait(until: next, clock: clock)
            }
        }
    }

    private func runDeliveries() async {
        sender.deliveryLoop(runs: true)
        defer { sender.deliveryLoop(runs: false) }
        while !Task.isCancelled {
            let finished = sender.takeFinished()
            // Small group commits: the single writer is never held long, so a timer due
            // meanwhile fires on time.
            for start in stride(from: 0, to: finished.count, by: Self.recordBatch) {
                let slice = Array(finished[start..<min(finished.count, start + Self.recordBatch)])
                do {
                    try record(slice)
                } catch {
                    logger.error("recording deliveries failed: \(error)")
                }
                sender.release(slice.map(\.0))
            }
            // A claim only when a page is due: after an attempt is recorded there seldom is one,
            // and an empty claim is a transaction of its own.
            func nextDue() -> Date? { sender.hasRoom ? ((try? sender.nextPageDue()) ?? nil) : nil }
            var next = nextDue()
            if let due = next, due <= clock.now() {
                do {
                    if try sender.sendDue() > 0 { continue }
                } catch {
                    logger.error("claiming pages failed: \(error)")
                }
                next = nextDue()
            }
            await deliveryWake.wait(until: next, clock: clock)
        }
    }
}
