import Foundation
import Logging
import TocsinCore
import TocsinPager
import TocsinStore

/// Fires due timers and delivers the pages they queue.
///
/// The timers themselves are rows in the store; the engine only decides when to look.
/// It sleeps until the earliest due row (or until poked), so it fires on the deadline
/// rather than on a polling tick, and a restarted engine fires overdue rows at once.
public final class Engine: Sendable {
    public let store: IncidentStore
    public let rules: ResponseRules
    public let clock: any TimeSource
    let delivery: PageDelivery
    let logger: Logger
    private let wake = WakeSignal()
    private let commits: GroupCommit

    public init(store: IncidentStore, rules: ResponseRules, delivery: PageDelivery, clock: any TimeSource, logger: Logger = Logger(label: "tocsin.engine")) {
        self.store = store
        self.rules = rules
        self.delivery = delivery
        self.clock = clock
        self.logger = logger
        commits = GroupCommit(store: store, rules: rules, clock: clock)
    }

    /// Records alerts (with the group commit shared by all concurrent callers) and wakes the
    /// loop when an incident opened, so its first page goes out at once.
    public func ingest(_ reports: [AlertReport]) async throws -> IngestOutcome {
        let outcome = try await commits.ingest(reports)
        if !outcome.openedIncidents.isEmpty { poke() }
        return outcome
    }

    /// Stops taking alerts once those already handed in are committed.
    public func shutdown() {
        commits.stop()
    }

    /// Tells the running loop that new work may be due now.
    public func poke() {
        wake.signal()
    }

    /// Fires everything due now and delivers every page due now, returning when all
    /// attempts are recorded. Only one caller at a time: the loop, or a test driving time.
    public func runDue() async {
        do {
            try store.fireDueTimers(rules: rules, now: clock.now())
            while true {
                let pages = try store.duePages(now: clock.now())
                if pages.isEmpty { break }
                // Internal people hear first; external ones once those attempts are done.
                try await deliver(pages.filter { !$0.isExternal })
                try await deliver(pages.filter(\.isExternal))
            }
        } catch {
            logger.error("engine pass failed: \(error)")
        }
    }

    private func deliver(_ pages: [OutboundPage]) async throws {
        try await withThrowingTaskGroup(of: (OutboundPage, DeliveryResult).self) { group in
            for page in pages {
                group.addTask { [delivery] in (page, await delivery.deliver(page)) }
            }
            for try await (page, result) in group {
                try store.recordDelivery(of: page, result: result, now: clock.now())
                if !result.delivered {
                    logger.warning("page \(page.idempotencyKey) to \(page.url) failed: \(result.error ?? "?")")
                }
            }
        }
    }

    /// Applies a procedure command and makes the calls out it asks for: the stop-trade or
    /// resume-trade call happens after the approval commits, and its answer is recorded as
    /// its own command, so a failed call leaves the incident where it was.
    public func perform(_ command: ProcedureCommand, on incidentID: Int64, by actor: String) async throws -> ProcedureOutcome {
        var outcome = try store.apply(command, to: incidentID, by: actor, rules: rules, now: clock.now())
        for case .callTradeSwitch(let stop) in outcome.effects {
            guard let endpoints = rules.procedure.tradeSwitch else { continue }
            let answer = await TradeSwitchCall(endpoints: endpoints).send(stop: stop, incidentID: incidentID, orderedBy: actor, what: outcome.record.stopTrading?.what)
            outcome = try store.apply(.recordTradeSwitch(stop: stop, succeeded: answer.succeeded, answer: answer.answer),
                                      to: incidentID, by: "tocsin", rules: rules, now: clock.now())
        }
        poke()
        return outcome
    }

    /// Runs until the task is cancelled.
    public func run() async {
        logger.info("engine started")
        while !Task.isCancelled {
            await runDue()
            let next: Date?
            do {
                next = try store.nextWakeTime()
            } catch {
                logger.error("cannot read the next due time: \(error)")
                next = clock.now().addingTimeInterval(1)
            }
            await wake.wait(until: next, clock: clock)
        }
    }
}
