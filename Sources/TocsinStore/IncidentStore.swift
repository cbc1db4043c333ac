import Foundation
import TocsinCore

/// Tocsin's durable record: alerts, incidents and their timelines, timers, the page outbox,
/// silences and heartbeats. What each operation changes is decided in `TocsinCore`; a store
/// loads what a decision needs, writes the changes it returns and appends their events, all
/// in one transaction, and answers only once that transaction has committed.
///
/// `SQLiteIncidentStore` is the embedded store of a single `tocsind`.
public protocol IncidentStore: AnyObject, Sendable {
    /// Announces each commit this store makes, for the console's live pages.
    var changes: RecordChanges { get }

    // MARK: Alerts

    /// Records a batch of alerts in one transaction: deduplicates by key, classifies, opens
    /// incidents at the major threshold and schedules their first page.
    func ingest(_ reports: [AlertReport], rules: ResponseRules, now: Date) throws -> IngestOutcome
    /// Records alerts that each carry their own arrival time: replaying a backlog.
    func ingest(timed reports: [(report: AlertReport, receivedAt: Date)], rules: ResponseRules) throws -> IngestOutcome
    /// Records several callers' batches together (group commit); a failing batch is refused
    /// alone. `committed` runs once they are committed, before the call returns.
    /// `leasingFirstPages`: the caller sends the outcomes' `leasedPages` at once, so a store
    /// may lease the pages due now to this instance in the commit that queues them (as a claim
    /// would) rather than leave them for a claim; a store that does not, leaves them.
    func ingest(batches: [[PreparedAlert]], rules: ResponseRules, now: Date, leasingFirstPages: Bool,
                committed: ([Result<IngestOutcome, any Error>]) -> Void) throws -> [Result<IngestOutcome, any Error>]
    func alerts(status: AlertStatus?, limit: Int) throws -> [AlertRecord]
    /// The incident's alerts, newest first, at most `limit`.
    func alerts(ofIncident incidentID: Int64, limit: Int) throws -> [AlertRecord]
    func alertCounts() throws -> AlertCounts

    // MARK: Incidents

    func incidents() throws -> [Incident]
    func incident(_ id: Int64) throws -> Incident
    /// The incident's events in the order they happened.
    func timeline(_ incidentID: Int64) throws -> [TimelineEvent]
    /// The incident's events after the `sequence`-th, in order: what an open page has not shown yet.
    func timeline(_ incidentID: Int64, after sequence: Int) throws -> [TimelineEvent]
    /// The last `limit` of the incident's events before the `sequence`-th (of them all when
    /// nil), in order: a window of a long timeline, read without the rest of it.
    func timeline(_ incidentID: Int64, before sequence: Int?, limit: Int) throws -> [TimelineEvent]
    /// The incident's events of the given kinds, in order: what is derived from those kinds
    /// alone (its page trail), read without the rest of the timeline.
    func timeline(_ incidentID: Int64, kinds: Set<TimelineEventKind>) throws -> [TimelineEvent]
    func procedureRecord(_ incidentID: Int64) throws -> ProcedureRecord
    func acknowledge(incidentID: Int64, by person: String, via channel: String, rules: ResponseRules, now: Date) throws -> AcknowledgeOutcome
    /// Acknowledges the incident of the firing alert with `dedupKey`, for an integration.
    func acknowledge(alertKey dedupKey: String, by actor: String, via channel: String, rules: ResponseRules, now: Date) throws -> AlertAcknowledgeOutcome
    /// The clocks running on an incident (escalation steps, acknowledgement timeout, update
    /// cadences, deadlines), soonest first.
    func timers(of incidentID: Int64) throws -> [TimerRequest]
    /// Applies a procedure command; a refused command changes nothing.
    func apply(_ command: ProcedureCommand, to incidentID: Int64, by actor: String, rules: ResponseRules, now: Date) throws -> ProcedureOutcome

    /// Records a regulatory declaration or submission with the clocks it starts or stops; a refused one changes nothing.
    func file(_ command: RegulatoryCommand, on incidentID: Int64, by actor: String, rules: ResponseRules, now: Date) throws

    // MARK: Timers and the page outbox

    /// Fires every timer due at or before `now`, oldest first; `onBatch` hears each batch once committed.
    func fireDueTimers(rules: ResponseRules, now: Date, batchSize: Int, onBatch: ([FiredTimer]) -> Void) throws -> [FiredTimer]
    /// The earliest due time of any timer; `justCommitted` when the caller has just committed what it asks about.
    func nextTimerDue(justCommitted: Bool) throws -> Date?
    /// One pass of a timer loop: fires every timer due at `now`, as `fireDueTimers` does, and
    /// says when the next one falls due after them (nil when none is left).
    func firingPass(rules: ResponseRules, now: Date, onBatch: ([FiredTimer]) -> Void) throws -> (fired: [FiredTimer], nextDue: Date?)
    /// Pages due at `now`, read only.
    func duePages(now: Date, limit: Int) throws -> [OutboundPage]
    /// Takes up to `limit` due pages to send now, leaving out those in flight, under each destination's rate limit.
    func claimDuePages(now: Date, limit: Int, excluding inFlight: Set<Int64>, rules: ResponseRules, justCommitted: Bool) throws -> [OutboundPage]
    /// Records delivery attempts on the pages and on their incidents' timelines; returns where
    /// each page stands, in the order given (nil for a page no longer waiting: acknowledged meanwhile).
    @discardableResult
    func recordDeliveries(_ results: [(OutboundPage, DeliveryResult)], now: Date, retry: RetrySchedule, random: @Sendable () -> Double) throws -> [PageProgress?]
    func nextPageDue(excluding inFlight: Set<Int64>, justCommitted: Bool) throws -> Date?
    /// The earliest moment something is due: a timer, or a page waiting for its next attempt.
    func nextWakeTime() throws -> Date?

    /// The outbox and the open incidents as they stand, for `/metrics`.
    func storedGauges() throws -> StoredGauges

    // MARK: Silences and heartbeats

    func createSilence(_ request: SilenceRequest, by person: String, now: Date) throws -> Silence
    func silences(includingExpired: Bool, now: Date) throws -> [Silence]
    func silence(_ id: Int64) throws -> Silence
    func expireSilence(_ id: Int64, by person: String, rules: ResponseRules, now: Date) throws -> Silence
    /// Makes the stored heartbeats those of the configuration.
    func declareHeartbeats(_ heartbeats: [Heartbeat], rules: ResponseRules, now: Date) throws
    func checkIn(heartbeat name: String, rules: ResponseRules, now: Date) throws -> HeartbeatStatus
    func heartbeats() throws -> [HeartbeatStatus]

    // MARK: Review

    /// Records that `person` exported the incident and returns what the export is built from.
    func recordExport(of incidentID: Int64, by person: String, format: String, now: Date) throws -> (Incident, ProcedureRecord, [TimelineEvent])
    /// Incidents opened in `[from, to)`, each with its record and timeline.
    func incidents(openedFrom from: Date, to: Date) throws -> [(Incident, ProcedureRecord, [TimelineEvent])]
    /// Checks every incident's hash chain.
    func verifyTimelines() throws -> (broken: [BrokenChain], checked: Int)

    // MARK: The roster's live changes

    /// Stores a change `Roster.admit` allowed, with its entry on the system timeline; returns it with its id.
    func addRosterChange(_ change: RosterChange) throws -> RosterChange
    /// Changes roster change `id` as `decide` says (an acceptance, a withdrawal), holding it
    /// locked meanwhile, with its entry on the system timeline; a refusal changes nothing.
    func updateRosterChange(_ id: Int64, now: Date, _ decide: (RosterChange) throws -> RosterChange) throws -> RosterChange
    /// The roster changes that end after `instant` (every one when nil), oldest first.
    func rosterChanges(endingAfter instant: Date?) throws -> [RosterChange]

    // MARK: Shift handovers

    /// Stores the handover `decide` makes from the open incidents and the handovers of the
    /// last day, with its entry on the system timeline and its acknowledgement's clock, in one
    /// transaction; a refusal changes nothing.
    func writeHandover(now: Date, _ decide: (_ incidents: [Incident], _ written: [Handover]) throws -> Handover) throws -> Handover
    /// Changes handover `id` as `decide` says (its acknowledgement), with its entry on the
    /// system timeline, and stops its clock; a refusal changes nothing.
    func acknowledgeHandover(_ id: Int64, now: Date, _ decide: (Handover) throws -> Handover) throws -> Handover
    func handover(_ id: Int64) throws -> Handover
    /// The handovers whose shift change comes after `instant` (every one when nil), oldest first.
    func handovers(changingAfter instant: Date?) throws -> [Handover]
    /// Makes `timers` the planned shift starts, in place of those planned before.
    func planShiftStarts(_ timers: [TimerRequest]) throws

    // MARK: Drills

    /// Opens a drill incident: its opening, first page, clocks and scripted injections, in one transaction.
    func openDrill(_ opening: DrillOpening, rules: ResponseRules) throws -> Incident
    /// Appends a command the procedure refused on a drill to its timeline, for its scorecard.
    func recordRefusal(_ entry: TimelineEntry) throws

    // MARK: Retention

    /// Closed incidents whose closing came before `cutoff` and that have nothing left to do (no
    /// alert firing, no page waiting), oldest first. The newest incident is never among them:
    /// while it stays, SQLite never gives its id again.
    func archivableIncidents(closedBefore cutoff: Date, limit: Int) throws -> [(id: Int64, closedAt: Date)]
    /// Removes an archived incident with its alerts, events, timers and pages, and keeps its
    /// anchor, in one transaction; only while its chain still ends with `anchor.lastHash` and it
    /// is still archivable, otherwise changes nothing and returns false.
    func removeArchived(_ anchor: ArchivedIncident) throws -> Bool
    /// Resolved alerts of no incident that ended before `cutoff`, oldest first (never the newest alert).
    func archivableAlerts(resolvedBefore cutoff: Date, limit: Int) throws -> [AlertRecord]
    /// Removes those of `ids` that are still resolved alerts of no incident; returns how many.
    func removeArchivedAlerts(_ ids: [Int64]) throws -> Int
    /// The anchors of archived incidents, by incident id.
    func archivedIncidents() throws -> [ArchivedIncident]

    // MARK: Tocsin's own timeline

    /// Appends what Tocsin did about itself (its fallback alarm) to the system timeline.
    func recordSystemEvents(_ events: [SystemEvent]) throws
    /// The last `limit` events of the system timeline, oldest first.
    func systemEvents(limit: Int) throws -> [SystemEvent]
}

extension IncidentStore {
    public func alerts(status: AlertStatus? = nil) throws -> [AlertRecord] {
        try alerts(status: status, limit: 500)
    }

    public func ingest(batches: [[PreparedAlert]], rules: ResponseRules, now: Date) throws -> [Result<IngestOutcome, any Error>] {
        try ingest(batches: batches, rules: rules, now: now, leasingFirstPages: false) { _ in }
    }

    /// Fires due timers 512 to a transaction.
    @discardableResult
    public func fireDueTimers(rules: ResponseRules, now: Date, onBatch: ([FiredTimer]) -> Void = { _ in }) throws -> [FiredTimer] {
        try fireDueTimers(rules: rules, now: now, batchSize: 512, onBatch: onBatch)
    }

    public func nextTimerDue() throws -> Date? {
        try nextTimerDue(justCommitted: false)
    }

    public func firingPass(rules: ResponseRules, now: Date, onBatch: ([FiredTimer]) -> Void) throws -> (fired: [FiredTimer], nextDue: Date?) {
        (try fireDueTimers(rules: rules, now: now, onBatch: onBatch), try nextTimerDue())
    }

    public func duePages(now: Date) throws -> [OutboundPage] {
        try duePages(now: now, limit: 256)
    }

    public func claimDuePages(now: Date, rules: ResponseRules) throws -> [OutboundPage] {
        try claimDuePages(now: now, limit: 256, excluding: [], rules: rules, justCommitted: false)
    }

    public func nextPageDue() throws -> Date? {
        try nextPageDue(excluding: [], justCommitted: false)
    }

    /// Records one delivery attempt.
    public func recordDelivery(of page: OutboundPage, result: DeliveryResult, now: Date, retry: RetrySchedule = RetrySchedule(jitter: 0),
                               random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws {
        try recordDeliveries([(page, result)], now: now, retry: retry, random: random)
    }
}
