import Foundation
import Testing
import TocsinCore

/// The decisions a store writes, checked as values: what an alert, a timer, an
/// acknowledgement and a delivery attempt change, before any database is involved.
@Suite struct RecordChangeTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = EscalationPolicy(steps: [
        EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
        EscalationStep(delay: .seconds(300), targets: [.role(.faultAnalyst, .backup)]),
    ], ackTimeout: .seconds(1800))

    var rules: ResponseRules {
        ResponseRules(severity: SeverityRules(majorThreshold: .sev2), escalation: EscalationPolicies(default: Self.policy), roster: ProcedureTests.roster,
                      runbooks: [], ackLinks: AckLinkSigner(secret: "s"), publicURL: "http://127.0.0.1:1",
                      procedure: ProcedureRules(cadences: [:]))
    }

    func incident(acknowledgedBy person: String? = nil) -> Incident {
        Incident(id: 7, title: "Card payments failing", service: "card", severity: .sev1, stage: .assessing, runbookID: nil, openedAt: now,
                 acknowledgedAt: person == nil ? nil : now, acknowledgedBy: person, policy: Self.policy)
    }

    func events(_ changes: [RecordChange]) -> [TimelineEventKind] {
        changes.compactMap { if case .event(let entry) = $0 { entry.kind } else { nil } }
    }

    func pages(_ changes: [RecordChange]) -> [PageRequest] {
        changes.compactMap { if case .page(let page, _) = $0 { page } else { nil } }
    }

    func timers(_ changes: [RecordChange]) -> [TimerRequest] {
        changes.compactMap { if case .timer(let timer) = $0 { timer } else { nil } }
    }

    @Test func anAlertOverTheThresholdOpensAnIncidentThatPagesItsCommanderAtOnceAndSchedulesTheBackup() throws {
        let report = AlertReport(source: "prometheus", dedupKey: "k", summary: "Card payments failing", service: "card",
                                 labels: ["urgency": "high"], startsAt: now)
        let (opening, changes) = Classification.classify(alertID: 1, report: report, severity: .sev1, incident: nil, rules: rules, now: now)
        #expect(changes.isEmpty, "no severity rise to schedule without raise_after")
        let opened = try #require(opening).changes(id: 7, silence: nil, rules: rules)
        #expect(events(opened) == [.incidentOpened, .alertReceived, .severitySet])
        #expect(pages(opened).map(\.person) == ["chen.wei"])
        #expect(pages(opened).map(\.idempotencyKey) == ["incident-7/step-0/chen.wei/webhook"])
        let steps = timers(opened).filter { $0.kind == .escalation }
        #expect(steps.map(\.dueAt) == [now.addingTimeInterval(300)] && steps.first?.step == 1)
        #expect(!timers(opened).contains { $0.kind == .updateDue && $0.subject == "bulletin" }, "update cadences wait until someone takes the incident")
        // Below the threshold: no incident.
        let (none, _) = Classification.classify(alertID: 1, report: report, severity: .sev3, incident: nil, rules: rules, now: now)
        #expect(none == nil)
    }

    @Test func theFirstAcknowledgementStopsPagingAndALaterOneChangesNothing() {
        let (first, changes) = Acknowledgement.acknowledge(incident(), state: .firstPass(of: incident()), by: "chen.wei", via: "link", now: now,
                                                           unsentPageKeys: ["incident-7/step-0/chen.wei/sms"], unresolved: true, cadencesRunning: true,
                                                           rules: rules.procedure)
        #expect(first == .acknowledged)
        #expect(changes.contains(.acknowledgement(incident: 7, at: now, by: "chen.wei")))
        #expect(changes.contains(.cancelTimers(.incident(7, kinds: [.escalation, .acknowledgementTimeout]))))
        #expect(events(changes) == [.acknowledged, .pageCancelled])
        #expect(timers(changes).map(\.kind) == [.acknowledgementTimeout] && timers(changes).first?.dueAt == now.addingTimeInterval(1800))

        let later = now.addingTimeInterval(120)
        let (second, again) = Acknowledgement.acknowledge(incident(acknowledgedBy: "chen.wei"), state: .firstPass(of: incident()), by: "priya.raman",
                                                          via: "cli", now: later, unsentPageKeys: [], unresolved: true, cadencesRunning: true,
                                                          rules: rules.procedure)
        #expect(second == .alreadyAcknowledged(by: "chen.wei", at: now))
        #expect(events(again) == [.acknowledgedAgain] && again.count == 1, "the first acknowledgement stays the one on record")
    }

    @Test func theFirstAcknowledgementOfAnIncidentNobodyHasTakenStartsItsUpdateCadences() {
        let (_, taken) = Acknowledgement.acknowledge(incident(), state: .firstPass(of: incident()), by: "chen.wei", via: "link", now: now,
                                                     unsentPageKeys: [], unresolved: true, cadencesRunning: false, rules: rules.procedure)
        let cadences = timers(taken).filter { $0.kind == .updateDue }
        #expect(!cadences.isEmpty)
        for due in cadences {
            let interval = rules.procedure.cadences(for: incident().severity).first { $0.key.rawValue == due.subject }?.value
            #expect(interval.map { due.dueAt == now.addingTimeInterval($0.seconds) } == true, "\(due.subject ?? "") runs from the acknowledgement")
        }
        let (_, again) = Acknowledgement.acknowledge(incident(), state: .firstPass(of: incident()), by: "chen.wei", via: "link", now: now,
                                                     unsentPageKeys: [], unresolved: true, cadencesRunning: true, rules: rules.procedure)
        #expect(!timers(again).contains { $0.kind == .updateDue }, "cadences already running are not started twice")
    }

    @Test func aTimedOutAcknowledgementPagesTheAcknowledgerAndStartsANewPass() {
        let acknowledged = incident(acknowledgedBy: "chen.wei")
        let due = now.addingTimeInterval(1800)
        let changes = Acknowledgement.timedOut(acknowledged, state: .firstPass(of: acknowledged), pass: 0, dueAt: due, unresolved: true, rules: rules)
        #expect(events(changes).first == .acknowledgementTimedOut)
        #expect(changes.contains(.acknowledgement(incident: 7, at: nil, by: nil)))
        #expect(pages(changes).map(\.idempotencyKey) == ["incident-7/pass-1/ack-timeout/chen.wei/webhook"])
        #expect(timers(changes).map { [$0.step, $0.pass] } == [[0, 1]] && timers(changes).first?.dueAt == due)
        #expect(Acknowledgement.timedOut(acknowledged, state: .firstPass(of: acknowledged), pass: 0, dueAt: due, unresolved: false, rules: rules).isEmpty,
                "a resolved incident is not paged again")
    }

    @Test func theLastAlertResolvingStopsAnUnansweredEscalation() {
        let stops = AlertResolution.changes(key: "k", incidentID: 7, source: "prometheus", now: now, stillFiring: 0, pendingSteps: 1)
        #expect(events(stops) == [.alertResolved, .escalationStopped])
        #expect(stops.contains(.cancelTimers(.incident(7, kinds: [.escalation]))))
        let goesOn = AlertResolution.changes(key: "k", incidentID: 7, source: "prometheus", now: now, stillFiring: 1, pendingSteps: 1)
        #expect(events(goesOn) == [.alertResolved] && goesOn.count == 1)
    }

    @Test func aMissedBulletinTellsTheBackupSchedulesLeadershipAndTheNextBulletin() throws {
        var procedure = ProcedureRules(cadences: [:])
        procedure.defaultCadences = [.bulletin: .seconds(1800)]
        var rules = rules
        rules.procedure = procedure
        var record = ProcedureRecord()
        record.roles = IncidentRoles(from: ProcedureTests.roster, at: now)
        let changes = Clocks.fire(.updateDue, subject: "bulletin", incident: incident(), record: record, dueAt: now, rules: rules)
        #expect(events(changes) == [.updateMissed])
        let notice = try #require(changes.compactMap { if case .notice(let notice) = $0 { notice } else { nil } }.first)
        #expect(notice.people.map(\.id) == ["liu.yang", "sam.okafor"])
        let keys = notice.changes(cause: 12).compactMap { if case .page(let page, _) = $0 { page.idempotencyKey } else { nil } }
        #expect(keys == ["incident-7/notice-12/liu.yang/webhook", "incident-7/notice-12/sam.okafor/webhook"])
        #expect(timers(changes).map(\.kind) == [.updateEscalation, .updateReminder, .updateDue])
        var closed = incident()
        closed.stage = .closed
        #expect(Clocks.fire(.updateDue, subject: "bulletin", incident: closed, record: record, dueAt: now, rules: rules).isEmpty)
    }

    @Test func aDeliveryAttemptIsRetriedGivenUpOrRecordedAsSent() throws {
        let page = OutboundPage(id: 1, incidentID: 7, idempotencyKey: "incident-7/step-0/chen.wei/webhook", person: "chen.wei", channel: "webhook",
                                url: "http://127.0.0.1:1", body: Data())
        let entry = OutboxEntry(attempts: 0, status: "pending", createdAt: now, kind: .page, pass: 0, step: 0)
        let retry = RetrySchedule(jitter: 0)
        let down = DeliveryResult(status: 503, latency: .milliseconds(3), error: "HTTP 503", retryAfter: .seconds(30))
        let first = try #require(DeliveryAttempt.record(page, entry: entry, result: down, now: now, retry: retry, random: { 0 }))
        #expect(first.progress == .retry(attempts: 1, at: now.addingTimeInterval(30)))
        let old = try #require(DeliveryAttempt.record(page, entry: entry, result: down, now: now.addingTimeInterval(2 * 86400), retry: retry, random: { 0 }))
        #expect(old.progress == .failed(attempts: 1))
        let ok = DeliveryResult(status: 200, latency: .milliseconds(3), error: nil)
        #expect(DeliveryAttempt.record(page, entry: entry, result: ok, now: now, retry: retry, random: { 0 })?.progress == .sent(attempts: 1, at: now))
        var cancelled = entry
        cancelled.status = "cancelled"
        #expect(DeliveryAttempt.record(page, entry: cancelled, result: down, now: now, retry: retry, random: { 0 }) == nil,
                "a page cancelled by an acknowledgement records no failure")
        #expect(DeliveryAttempt.record(page, entry: cancelled, result: ok, now: now, retry: retry, random: { 0 })?.progress == .sent(attempts: 1, at: now))
    }
}
