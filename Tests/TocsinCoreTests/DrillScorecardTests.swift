import Foundation
import Testing
import TocsinCore

/// The scorecard is computed from timeline events alone; these build the events by hand.
@Suite struct DrillScorecardTests {
    static let opened = Date(timeIntervalSince1970: 1_800_000_000)
    static let runbook = Runbook(id: "total-outage", title: "Total payment outage", matchers: ["scenario": "total_outage"], preAuthorized: false,
                                 steps: ["Confirm scope", "Stop trading", "Fail over", "Reconcile"], body: "")

    /// A timeline from (seconds after opening, kind, actor, detail), chained in order.
    static func timeline(_ entries: [(TimeInterval, TimelineEventKind, String, [String: String])]) -> [TimelineEvent] {
        let opening: (TimeInterval, TimelineEventKind, String, [String: String]) =
            (0, .incidentOpened, "li.na", ["drill": "true", "commander": "chen.wei", "coordinator": "sam.okafor", "business_lead": "maria.santos",
                                           "executors": "zhang.lei,vendor.dba"])
        var previous = TimelineEvent.genesisHash
        return ([opening] + entries).enumerated().map { index, entry in
            let event = TimelineEvent(incidentID: 3, sequence: index + 1, at: opened.addingTimeInterval(entry.0), kind: entry.1, actor: entry.2,
                                      detail: entry.3, previousHash: previous)
            previous = event.hash
            return event
        }
    }

    static func card(_ entries: [(TimeInterval, TimelineEventKind, String, [String: String])], record: ProcedureRecord = ProcedureRecord(),
                     targets: ScorecardTargets = ScorecardTargets()) -> DrillScorecard {
        let incident = Incident(id: 3, title: "Total payment outage", service: "total-outage", severity: .sev1, stage: .closed, runbookID: runbook.id,
                                openedAt: opened, acknowledgedAt: nil, acknowledgedBy: nil, policy: EscalationPolicy(steps: []), isDrill: true)
        return DrillScorecard(incident: incident, record: record, events: timeline(entries), runbook: runbook, targets: targets)
    }

    @Test func anAcknowledgementAfter90SecondsMeetsAFiveMinuteTargetAndOneAfterSixMinutesMissesIt() {
        let fast = Self.card([(90, .acknowledged, "chen.wei", [:])]).acknowledgements.first { $0.role == .commander }
        #expect(fast?.after == 90 && fast?.target == 300 && fast?.met == true && fast?.person == "chen.wei")
        let slow = Self.card([(360, .acknowledged, "priya.raman", [:])]).acknowledgements.first { $0.role == .commander }
        #expect(slow?.after == 360 && slow?.met == false && slow?.person == "priya.raman", "the backup's acknowledgement is the role's, late")
        let none = Self.card([]).acknowledgements.first { $0.role == .commander }
        #expect(none?.after == nil && none?.person == nil && none?.met == false)
    }

    @Test func eachRoleIsJudgedByItsHoldersFirstActIncludingOneHandedTheRole() {
        let card = Self.card([
            (60, .acknowledged, "chen.wei", [:]),
            (120, .roleHandedOver, "chen.wei", ["role": "business_lead", "from": "maria.santos", "to": "wang.fang"]),
            (400, .updatePosted, "wang.fang", ["kind": "business", "text": "Merchants told"]),
            (1000, .operationRecorded, "vendor.dba", ["action": "restart", "result": "ok"]),
            (1100, .exported, "sam.okafor", ["format": "json"]),
        ], targets: ScorecardTargets(acknowledge: [.commander: .seconds(300), .businessLead: .seconds(600), .executor: .seconds(900), .coordinator: .seconds(900)]))
        let byRole = Dictionary(uniqueKeysWithValues: card.acknowledgements.map { ($0.role, $0) })
        #expect(byRole[.businessLead]?.person == "wang.fang" && byRole[.businessLead]?.after == 400 && byRole[.businessLead]?.met == true)
        #expect(byRole[.executor]?.person == "vendor.dba" && byRole[.executor]?.met == false)
        #expect(byRole[.coordinator]?.person == nil, "an export is not a response")
    }

    @Test func updatesAreOnTimeLateOrMissedAgainstTheirIntervalFromWhenTheDrillWasTaken() {
        let card = Self.card([
            (100, .acknowledged, "chen.wei", [:]),
            (1700, .updatePosted, "sam.okafor", ["kind": "bulletin"]),   // 1600 s after taking it: on time
            (3600, .updatePosted, "sam.okafor", ["kind": "bulletin"]),   // 1900 s after the last: late
            (5000, .updatePosted, "maria.santos", ["kind": "business"]), // 4900 s after taking it: late
            (9000, .stageChanged, "chen.wei", ["from": "reconciling", "to": "closed"]),
        ])
        let bulletin = card.updates.first { $0.kind == .bulletin }
        #expect(bulletin?.posted == 2 && bulletin?.onTime == 1 && bulletin?.late == 1)
        #expect(bulletin?.missed == 3, "5400 s from the last bulletin to the close: three intervals with none")
        let business = card.updates.first { $0.kind == .business }
        #expect(business?.onTime == 0 && business?.late == 1 && business?.missed == 1)
    }

    @Test func rootCauseDeadlineStagesGatesChecklistAndWhoDidWhat() throws {
        // Ticks as the store keeps them: the record's JSON.
        var fields = try #require(try JSONSerialization.jsonObject(with: TocsinJSON.encoder.encode(ProcedureRecord())) as? [String: Any])
        fields["checklist"] = ["1": ["by": "chen.wei", "at": UTCTime.string(Self.opened.addingTimeInterval(200))],
                               "3": ["by": "zhang.lei", "at": UTCTime.string(Self.opened.addingTimeInterval(2000))]]
        let record = try TocsinJSON.decoder.decode(ProcedureRecord.self, from: JSONSerialization.data(withJSONObject: fields))
        let card = Self.card([
            (60, .acknowledged, "chen.wei", [:]),
            (70, .stageChanged, "chen.wei", ["from": "reported", "to": "assessing"]),
            (80, .gateRefused, "chen.wei", ["action": "advance", "reason": "To leave assessing, record the assessment first."]),
            (3700, .planRecorded, "chen.wei", ["root_cause": "x", "steps": "y"]),
            (3700, .deadlineBreached, "tocsin", ["deadline": "root_cause_and_plan"]),
            (3800, .stageChanged, "chen.wei", ["from": "assessing", "to": "recovering"]),
        ], record: record)
        #expect(card.deadlines.first?.name == "root cause and plan" && card.deadlines.first?.doneAfter == 3700 && card.deadlines.first?.met == false)
        #expect(card.deadlines.contains { $0.name == "procedure clock root_cause_and_plan" && !$0.met })
        #expect(card.stages.map(\.stage) == [.assessing, .recovering] && card.stages.map(\.after) == [70, 3800])
        #expect(card.closedAt == nil)
        #expect(card.gatesRefused.map(\.at) == [Self.opened.addingTimeInterval(80)] && card.gatesRefused.map(\.by) == ["chen.wei"])
        #expect(card.gatesRefused.map(\.action) == ["advance"] && card.gatesRefused.map(\.reason) == ["To leave assessing, record the assessment first."])
        #expect(card.checklistCompletion == 0.5 && card.checklist.map(\.doneBy) == ["chen.wei", nil, "zhang.lei", nil])
        #expect(card.people.map(\.person) == ["chen.wei"])
        #expect(card.people.first?.did == ["acknowledged": 1, "stage_changed": 2, "plan_recorded": 1])
        #expect(card.text.contains("GATES REFUSED") && card.markdown.contains("| advance | To leave assessing"))
    }

    @Test func recordedWordsCannotBreakTheHTMLOrMarkdownScorecard() {
        let card = Self.card([(80, .gateRefused, "chen.wei", ["action": "note", "reason": "<script>alert(1)</script> | pipe\nnew line"])])
        #expect(!card.html.contains("<script>") && card.html.contains("&lt;script&gt;"))
        let line = card.markdown.split(separator: "\n").first { $0.contains("alert(1)") } ?? ""
        #expect(line.contains("\\| pipe new line") && !line.contains("<script>"))
    }

    @Test func theHistoryShowsEachTeamsTrendOldestFirst() {
        let first = Self.card([(400, .acknowledged, "chen.wei", [:])])
        var second = Self.card([(120, .acknowledged, "priya.raman", [:])])
        second.incidentID = 4
        second.openedAt = Self.opened.addingTimeInterval(86400)
        let history = DrillHistory(scorecards: [second, first])
        #expect(history.drills.map(\.incidentID) == [3, 4])
        let trend = history.trend(of: .commander)
        #expect(trend.map { $0[3] } == ["chen.wei", "priya.raman"] && trend.map { $0[6] } == ["missed", "met"])
        #expect(history.text.contains("TEAM COMMANDER: TIME TO ACKNOWLEDGE"))
    }
}

@Suite struct DrillTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aDrillsPagesAndNoticesOpenWithDrill() {
        let page = PageMessage(incidentID: 2, severity: .sev1, summary: "Total outage", service: "payments-core", stage: .reported, step: 0,
                               person: "chen.wei", runbook: nil, acknowledgeURL: "http://h/ack/2", drill: true)
        #expect(page.summary == "DRILL: Total outage" && page.text.hasPrefix("DRILL [SEV1] Incident 2: Total outage (payments-core)"))
        let real = PageMessage(incidentID: 2, severity: .sev1, summary: "Total outage", service: "payments-core", stage: .reported, step: 0,
                               person: "chen.wei", runbook: nil, acknowledgeURL: "http://h/ack/2")
        #expect(real.drill == nil && !real.text.contains("DRILL"))
    }

    @Test func aScriptedTradeSwitchFailureIsArmedUntilAFailureAnswersIt() {
        var events = DrillScorecardTests.timeline([(300, .drillInjected, "drill", ["injection": "trade_switch_fails"])])
        #expect(DrillTradeSwitch.failureArmed(events))
        events = DrillScorecardTests.timeline([(300, .drillInjected, "drill", ["injection": "trade_switch_fails"]),
                                               (400, .tradeSwitchFailed, "tocsin", ["action": "stop", "answer": DrillTradeSwitch.scriptedFailure])])
        #expect(!DrillTradeSwitch.failureArmed(events))
        #expect(!DrillTradeSwitch.failureArmed(DrillScorecardTests.timeline([])))
    }

    /// A silent vendor: added to the drill, their unsent pages cancelled; from then on a notice
    /// to them is withheld (the others still get it), and their commands are refused without
    /// being kept as the team's refused gates. A real incident has nobody silent.
    @Test func aSilentVendorGetsNothingFromTheDrillAndTheirCommandsAreRefused() throws {
        let rules = ResponseRules(severity: SeverityRules(majorThreshold: .sev2), escalation: EscalationPolicies(default: RecordChangeTests.policy),
                                  roster: ProcedureTests.roster, runbooks: [], ackLinks: AckLinkSigner(secret: "s"), publicURL: "http://127.0.0.1:1")
        var incident = Incident(id: 3, title: "Total payment outage", service: "payments-core", severity: .sev1, stage: .assessing, runbookID: nil,
                                openedAt: Self.now, acknowledgedAt: nil, acknowledgedBy: nil, policy: RecordChangeTests.policy, isDrill: true)
        var record = ProcedureRecord()
        record.roles = IncidentRoles(from: rules.roster, at: Self.now)
        #expect(record.roles.executors == ["zhang.lei", "vendor.dba"])

        let silent = DrillInjection(after: 60, kind: .vendorSilent, person: "vendor.dba")
        let changes = silent.fire(incident: incident, record: record, dueAt: Self.now, rules: rules, unsentPageKeys: ["incident-3/notice-9/vendor.dba/webhook"])
        #expect(changes.contains(.drillSilent(incident: 3, person: "vendor.dba")))
        #expect(changes.contains(.event(TimelineEntry(.pageCancelled, incident: 3, at: Self.now, detail: [
            "idempotency_key": "incident-3/notice-9/vendor.dba/webhook", "reason": "DRILL: vendor.dba is scripted not to answer in this drill",
        ]))))

        incident.silentInDrill = ["vendor.dba"]
        let notice = NoticeRequest(to: [], alsoTo: record.roles.executors, incident: incident, subject: "operation_failed", message: "restore FAILED",
                                   roster: rules.roster, at: Self.now).changes(cause: 12)
        let sent = notice.compactMap { if case .page(let page, _) = $0 { page.person } else { nil } }
        let withheld = notice.compactMap { if case .event(let entry) = $0, entry.kind == .pageWithheld { entry } else { nil } }
        #expect(sent == ["zhang.lei"])
        #expect(withheld.map { $0.detail["person"] } == ["vendor.dba"] && withheld.map { $0.detail["purpose"] } == ["operation_failed"])
        #expect(withheld.first?.detail["reason"] == "DRILL: vendor.dba is scripted not to answer in this drill")

        let procedure = Procedure(rules: ProcedureRules(), roster: rules.roster, runbook: nil)
        #expect(throws: ProcedureError.silentInDrill("vendor.dba")) {
            try procedure.apply(.recordOperation(action: "restart db-1", result: "ok"), by: "vendor.dba", to: incident, record: record, now: Self.now)
        }
        #expect(!ProcedureError.silentInDrill("vendor.dba").isKeptOnDrill && ProcedureError.missing("the plan", stage: .assessing).isKeptOnDrill)
        #expect(try procedure.apply(.note("still checking"), by: "zhang.lei", to: incident, record: record, now: Self.now).events.count == 1)

        // Only on a drill: the same silence on a real incident would silence nobody.
        incident.isDrill = false
        #expect(!incident.keepsSilent("vendor.dba"))

        // Unnamed, the silent vendor is the drill's first external executor; without one, nobody.
        let unnamed = DrillInjection(after: 60, kind: .vendorSilent)
        #expect(unnamed.silencedPerson(record: record, roster: rules.roster) == nil)
        var people = rules.roster.people
        people["vendor.dba"]?.isExternal = true
        let withVendor = Roster(people: Array(people.values), roles: [.technicalExecutors: RoleHolders(primary: "zhang.lei", backup: "vendor.dba")])
        #expect(unnamed.silencedPerson(record: record, roster: withVendor) == "vendor.dba")
    }

    @Test func anInjectionTravelsInItsTimersSubject() {
        let injection = DrillInjection(after: 120, kind: .alertFires, service: "card-acquiring", summary: "declines \"high\"", severity: .sev1)
        #expect(DrillInjection(subject: injection.subject) == injection)
        #expect(DrillInjection(subject: "bulletin") == nil)
    }

    @Test func aResponseReportLeavesDrillsOut() {
        func incident(_ id: Int64, drill: Bool) -> (Incident, ProcedureRecord, [TimelineEvent]) {
            let incident = Incident(id: id, title: "t", service: "payments-core", severity: .sev1, stage: .reported, runbookID: nil, openedAt: Self.now,
                                    acknowledgedAt: nil, acknowledgedBy: nil, policy: EscalationPolicy(steps: []), isDrill: drill)
            let ack = TimelineEvent(incidentID: id, sequence: 1, at: Self.now.addingTimeInterval(drill ? 10 : 200), kind: .acknowledged, actor: "chen.wei",
                                    detail: [:], previousHash: TimelineEvent.genesisHash)
            return (incident, ProcedureRecord(), [ack])
        }
        let report = ResponseReport(from: Self.now, to: Self.now.addingTimeInterval(3600), incidents: [incident(1, drill: true), incident(2, drill: false)])
        #expect(report.incidents == 1 && report.byServiceAndSeverity.first?.mtta == 200)
    }
}
