import Foundation
import Testing
import TocsinCore

/// Regulatory regimes, pure: each report's clock, what a declaration and a submission record
/// and start, the draft's fields and the classification helper's suggestion.
@Suite struct RegulatoryTests {
    let opened = Date(timeIntervalSince1970: 1_800_000_000)

    var rules: ResponseRules {
        ResponseRules(severity: SeverityRules(majorThreshold: .sev2), escalation: EscalationPolicies(default: RecordChangeTests.policy),
                      roster: ProcedureTests.roster, runbooks: [], ackLinks: AckLinkSigner(secret: "s"), publicURL: "http://127.0.0.1:1",
                      procedure: ProcedureRules(cadences: [:], regimes: [.dora, .nis2]))
    }

    var incident: Incident {
        Incident(id: 7, title: "Card payments failing", service: "card", severity: .sev1, stage: .assessing, runbookID: nil, openedAt: opened,
                 acknowledgedAt: nil, acknowledgedBy: nil, policy: RecordChangeTests.policy)
    }

    var record: ProcedureRecord {
        var record = ProcedureRecord()
        record.roles = IncidentRoles(from: ProcedureTests.roster, at: opened)
        return record
    }

    /// The incident's timeline as a store would chain it: an alert at `opened`, then what the changes record.
    func timeline(_ changes: [[RecordChange]]) -> [TimelineEvent] {
        var events = [TimelineEvent(incidentID: 7, sequence: 1, at: opened, kind: .alertReceived, actor: "prometheus", detail: [:], previousHash: TimelineEvent.genesisHash)]
        for case .event(let entry) in changes.joined() {
            events.append(TimelineEvent(incidentID: 7, sequence: events.count + 1, at: entry.at, kind: entry.kind, actor: entry.actor, detail: entry.detail,
                                        previousHash: events.last!.hash))
        }
        return events
    }

    func timers(_ changes: [RecordChange]) -> [TimerRequest] {
        changes.compactMap { if case .timer(let timer) = $0 { timer } else { nil } }
    }

    func apply(_ command: RegulatoryCommand, by actor: String, after earlier: [[RecordChange]] = [], at now: Date) throws -> [RecordChange] {
        try RegulatoryFiling.apply(command, by: actor, incident: incident, record: record, events: timeline(earlier), rules: rules, now: now)
    }

    @Test func doraInitialIsDueFourHoursAfterDeclarationButNeverPastADayFromDetection() {
        let clock = RegulatoryRegime.dora.report("initial")!.clock
        let early = ReportAnchors(opened: opened, detected: opened, declared: opened.addingTimeInterval(3600))
        #expect(clock.due(early) == opened.addingTimeInterval(5 * 3600))
        let late = ReportAnchors(opened: opened, detected: opened, declared: opened.addingTimeInterval(22 * 3600))
        #expect(clock.due(late) == opened.addingTimeInterval(24 * 3600))
        #expect(clock.due(ReportAnchors(opened: opened, detected: opened)) == nil)
    }

    @Test func finalReportsAreDueACalendarMonthLater() {
        // 2027-01-31 + 1 month is 2027-02-28, not 30 days later.
        let january31 = UTCTime.date("2027-01-31T09:00:00Z")!
        let anchors = ReportAnchors(opened: opened, detected: opened, submitted: ["intermediate": january31])
        #expect(RegulatoryRegime.dora.report("final")!.clock.due(anchors) == UTCTime.date("2027-02-28T09:00:00Z"))
    }

    @Test func declaringDoraStartsTheInitialNotificationsClockWithItsReminder() throws {
        let declaredAt = opened.addingTimeInterval(600)
        let changes = try apply(.declare(regime: "dora", reason: "all card payments down"), by: "chen.wei", at: declaredAt)
        let set = timers(changes)
        #expect(set.map(\.subject) == ["regulatory.dora.initial", "regulatory.dora.initial"])
        #expect(set.map(\.kind) == [.updateReminder, .updateDue])
        #expect(set.map(\.dueAt) == [declaredAt.addingTimeInterval(3 * 3600), declaredAt.addingTimeInterval(4 * 3600)])
    }

    @Test func nobodyButTheCommanderOrLeadershipDeclaresAndNotTwice() throws {
        #expect(throws: ProcedureError.self) { try apply(.declare(regime: "dora", reason: "x"), by: "zhang.lei", at: opened) }
        let first = try apply(.declare(regime: "dora", reason: "x"), by: "li.na", at: opened)
        #expect(throws: ProcedureError.self) { try apply(.declare(regime: "dora", reason: "again"), by: "li.na", after: [first], at: opened) }
        #expect(throws: ProcedureError.self) { try apply(.declare(regime: "gdpr", reason: "x"), by: "li.na", at: opened) }
    }

    @Test func submittingTheInitialStopsItsClockAndStartsTheIntermediates() throws {
        let declared = try apply(.declare(regime: "dora", reason: "all card payments down"), by: "chen.wei", at: opened)
        // The intermediate cannot go before the initial.
        #expect(throws: ProcedureError.self) {
            try apply(.submit(regime: "dora", report: "intermediate", reference: "X", submittedAt: nil, note: nil), by: "sam.okafor", after: [declared], at: opened)
        }
        let sentAt = opened.addingTimeInterval(2 * 3600)
        let submitted = try apply(.submit(regime: "dora", report: "initial", reference: "ECB-1", submittedAt: nil, note: nil), by: "sam.okafor",
                                  after: [declared], at: sentAt)
        #expect(submitted.contains(.cancelTimers(.subject("regulatory.dora.initial", incident: 7, kinds: [.updateReminder, .updateDue, .updateEscalation]))))
        #expect(timers(submitted).filter { $0.kind == .updateDue }.map(\.subject) == ["regulatory.dora.intermediate"])
        #expect(timers(submitted).first { $0.kind == .updateDue }?.dueAt == sentAt.addingTimeInterval(72 * 3600))
        let event = try #require(timeline([declared, submitted]).last)
        #expect(event.kind == .reportSubmitted)
        #expect(event.detail["reference"] == "ECB-1" && event.detail["version"] == "1")
    }

    @Test func aSecondSubmissionIsACorrectionWithTheNextVersion() throws {
        let declared = try apply(.declare(regime: "nis2", reason: "significant"), by: "chen.wei", at: opened)
        let first = try apply(.submit(regime: "nis2", report: "early_warning", reference: "CSIRT-9", submittedAt: nil, note: nil), by: "sam.okafor",
                              after: [declared], at: opened.addingTimeInterval(3600))
        let second = try apply(.submit(regime: "nis2", report: "early_warning", reference: "CSIRT-9b", submittedAt: nil, note: "amount corrected"), by: "sam.okafor",
                               after: [declared, first], at: opened.addingTimeInterval(7200))
        let event = try #require(timeline([declared, first, second]).last)
        #expect(event.kind == .reportCorrected)
        #expect(event.detail["version"] == "2" && event.detail["corrects"] == "CSIRT-9")
        let filings = RegulatoryFilings(incident: incident, events: timeline([declared, first, second]))
        #expect(filings.versions("nis2", "early_warning").map(\.reference) == ["CSIRT-9", "CSIRT-9b"])
    }

    /// Every report of both regimes, from a declaration an hour after detection through a
    /// submission of each, with the clocks the regulations give.
    @Test func eachReportOfDoraAndNis2IsDueWhenItsRegulationSays() throws {
        let hour: TimeInterval = 3600
        var steps: [[RecordChange]] = []
        func file(_ command: RegulatoryCommand, by actor: String, at seconds: TimeInterval) throws -> [RecordChange] {
            let changes = try apply(command, by: actor, after: steps, at: opened.addingTimeInterval(seconds))
            steps.append(changes)
            return changes
        }
        func dueTimers(_ changes: [RecordChange]) -> [String: Date] {
            Dictionary(uniqueKeysWithValues: timers(changes).filter { $0.kind == .updateDue }.map { ($0.subject ?? "", $0.dueAt) })
        }
        func remindAt(_ changes: [RecordChange]) -> [String: Date] {
            Dictionary(uniqueKeysWithValues: timers(changes).filter { $0.kind == .updateReminder }.map { ($0.subject ?? "", $0.dueAt) })
        }
        let month = { (date: Date) in Calendar.utc.date(byAdding: .month, value: 1, to: date)! }

        // Declared an hour after detection: DORA's initial 4 hours later; NIS2's early warning
        // 24 hours and its notification 72 hours after detection.
        let dora = try file(.declare(regime: "dora", reason: "all card payments down"), by: "chen.wei", at: hour)
        #expect(dueTimers(dora) == ["regulatory.dora.initial": opened.addingTimeInterval(5 * hour)])
        #expect(remindAt(dora) == ["regulatory.dora.initial": opened.addingTimeInterval(4 * hour)])
        let nis2 = try file(.declare(regime: "nis2", reason: "significant"), by: "chen.wei", at: hour)
        #expect(dueTimers(nis2) == ["regulatory.nis2.early_warning": opened.addingTimeInterval(24 * hour),
                                    "regulatory.nis2.notification": opened.addingTimeInterval(72 * hour)])
        #expect(remindAt(nis2) == ["regulatory.nis2.early_warning": opened.addingTimeInterval(20 * hour),
                                   "regulatory.nis2.notification": opened.addingTimeInterval(60 * hour)])

        // DORA's intermediate: 72 hours after the initial notification.
        let initial = try file(.submit(regime: "dora", report: "initial", reference: "BAFIN-1", submittedAt: nil, note: nil), by: "sam.okafor", at: 2 * hour)
        #expect(dueTimers(initial) == ["regulatory.dora.intermediate": opened.addingTimeInterval(74 * hour)])
        #expect(remindAt(initial) == ["regulatory.dora.intermediate": opened.addingTimeInterval(62 * hour)])
        // DORA's final: a calendar month after the intermediate report.
        let intermediate = try file(.submit(regime: "dora", report: "intermediate", reference: "BAFIN-2", submittedAt: nil, note: nil), by: "sam.okafor",
                                      at: 70 * hour)
        #expect(dueTimers(intermediate) == ["regulatory.dora.final": month(opened.addingTimeInterval(70 * hour))])
        #expect(remindAt(intermediate) == ["regulatory.dora.final": month(opened.addingTimeInterval(70 * hour)).addingTimeInterval(-7 * 24 * hour)])
        // NIS2's final: a calendar month after the incident notification.
        _ = try file(.submit(regime: "nis2", report: "early_warning", reference: "CSIRT-1", submittedAt: nil, note: nil), by: "sam.okafor", at: 20 * hour)
        let notification = try file(.submit(regime: "nis2", report: "notification", reference: "CSIRT-2", submittedAt: nil, note: nil), by: "sam.okafor",
                                      at: 50 * hour)
        #expect(dueTimers(notification) == ["regulatory.nis2.final": month(opened.addingTimeInterval(50 * hour))])

        // The standing says the same.
        let events = timeline(steps)
        let due = [RegulatoryRegime.dora, .nis2].flatMap { regime in
            RegulatoryStanding(regime, incident: incident, record: record, events: events, now: opened.addingTimeInterval(71 * hour)).reports.map {
                ("\(regime.id).\($0.report)", $0.dueAt)
            }
        }
        #expect(Dictionary(uniqueKeysWithValues: due) == [
            "dora.initial": opened.addingTimeInterval(5 * hour), "dora.intermediate": opened.addingTimeInterval(74 * hour),
            "dora.final": month(opened.addingTimeInterval(70 * hour)), "nis2.early_warning": opened.addingTimeInterval(24 * hour),
            "nis2.notification": opened.addingTimeInterval(72 * hour), "nis2.final": month(opened.addingTimeInterval(50 * hour)),
        ])
    }

    /// A correction is a new version of the same report: the clock that runs from the report's
    /// submission stays where the first version set it. Only DORA's final report counts from
    /// "the latest updated intermediate report", so a new intermediate version moves it.
    @Test func aCorrectionMovesTheNextClockOnlyWhereTheRegulationCountsFromTheLatestVersion() throws {
        let hour: TimeInterval = 3600
        let declared = try apply(.declare(regime: "dora", reason: "major"), by: "chen.wei", at: opened)
        let initial = try apply(.submit(regime: "dora", report: "initial", reference: "BAFIN-1", submittedAt: nil, note: nil), by: "sam.okafor",
                                after: [declared], at: opened.addingTimeInterval(2 * hour))
        let correction = try apply(.submit(regime: "dora", report: "initial", reference: "BAFIN-1b", submittedAt: nil, note: "bank name"), by: "sam.okafor",
                                   after: [declared, initial], at: opened.addingTimeInterval(30 * hour))
        #expect(timers(correction).isEmpty, "the intermediate report's clock stays 72 h after the initial notification")
        #expect(!correction.contains { if case .cancelTimers = $0 { true } else { false } })
        let afterCorrection = RegulatoryStanding(.dora, incident: incident, record: record, events: timeline([declared, initial, correction]), now: opened)
        #expect(afterCorrection.reports.first { $0.report == "intermediate" }?.dueAt == opened.addingTimeInterval(74 * hour))

        let intermediate = try apply(.submit(regime: "dora", report: "intermediate", reference: "BAFIN-2", submittedAt: nil, note: nil), by: "sam.okafor",
                                     after: [declared, initial, correction], at: opened.addingTimeInterval(60 * hour))
        let updated = try apply(.submit(regime: "dora", report: "intermediate", reference: "BAFIN-2b", submittedAt: nil, note: "business back to normal"),
                                by: "sam.okafor", after: [declared, initial, correction, intermediate], at: opened.addingTimeInterval(100 * hour))
        let moved = Calendar.utc.date(byAdding: .month, value: 1, to: opened.addingTimeInterval(100 * hour))!
        #expect(timers(updated).filter { $0.kind == .updateDue }.map(\.subject) == ["regulatory.dora.final"])
        #expect(timers(updated).first { $0.kind == .updateDue }?.dueAt == moved, "DORA: one month after the latest updated intermediate report")

        // NIS2's final report counts from the notification's submission: a correction leaves it.
        let nis2 = try apply(.declare(regime: "nis2", reason: "significant"), by: "chen.wei", at: opened)
        let notification = try apply(.submit(regime: "nis2", report: "notification", reference: "CSIRT-2", submittedAt: nil, note: nil), by: "sam.okafor",
                                     after: [nis2], at: opened.addingTimeInterval(10 * hour))
        let corrected = try apply(.submit(regime: "nis2", report: "notification", reference: "CSIRT-2b", submittedAt: nil, note: "amount"), by: "sam.okafor",
                                  after: [nis2, notification], at: opened.addingTimeInterval(40 * hour))
        #expect(timers(corrected).isEmpty)
        let standing = RegulatoryStanding(.nis2, incident: incident, record: record, events: timeline([nis2, notification, corrected]), now: opened)
        #expect(standing.reports.first { $0.report == "final" }?.dueAt == Calendar.utc.date(byAdding: .month, value: 1, to: opened.addingTimeInterval(10 * hour)))
    }

    @Test func aMissedReportPagesLeadershipAndARemindedOneItsOwner() throws {
        let (regime, report) = try #require(rules.procedure.regulatoryReport(subject: "regulatory.dora.initial"))
        let missed = Clocks.fire(.updateDue, subject: "regulatory.dora.initial", incident: incident, record: record, dueAt: opened, rules: rules)
        let notices = missed.compactMap { if case .notice(let notice) = $0 { notice } else { nil } }
        #expect(Set(notices.flatMap(\.people).map(\.id)) == ["li.na", "zhou.min", "sam.okafor"])
        #expect(notices.first?.message.contains("\(regime.title): \(report.title)") == true)
        let reminded = Clocks.fire(.updateReminder, subject: "regulatory.dora.initial", incident: incident, record: record, dueAt: opened, rules: rules)
        let reminder = reminded.compactMap { if case .notice(let notice) = $0 { notice } else { nil } }
        #expect(reminder.flatMap(\.people).map(\.id) == ["sam.okafor"])
        // A regulator's report is owed after the incident closes too.
        var closed = incident
        closed.stage = .closed
        #expect(!Clocks.fire(.updateDue, subject: "regulatory.dora.initial", incident: closed, record: record, dueAt: opened, rules: rules).isEmpty)
    }

    @Test func aDraftListsWhatIsMissingAndLessOnceTheFiguresAreRecorded() throws {
        let report = RegulatoryRegime.dora.report("intermediate")!
        let before = ReportDraft(report, of: .dora, incident: incident, record: record, events: timeline([]), now: opened)
        #expect(before.missing.contains("affected_transactions") && before.missing.contains("amount") && before.missing.contains("scope"))
        var filled = record
        filled.assessment = Assessment(faultStartedAt: opened, scope: "<script>alert(1)</script> card payments", spread: "stable", affectedServices: ["card"],
                                       allBusinessAffected: true, initialCause: "HSM", recordedBy: "chen.wei")
        filled.reconciliation.affectedTransactions = 150_000
        filled.reconciliation.amount = "2000000"
        filled.reconciliation.currency = "EUR"
        let reconciled = TimelineEntry(.reconciliationRecorded, incident: 7, at: opened, detail: [:])
        let after = ReportDraft(report, of: .dora, incident: incident, record: filled, events: timeline([[.event(reconciled)]]), now: opened)
        #expect(after.missing.count < before.missing.count)
        #expect(!after.missing.contains("affected_transactions") && !after.missing.contains("amount"))
        #expect(after.fields.first { $0.field == "affected_transactions" }?.value == "150000")
        #expect(!after.html.contains("<script>") && after.html.contains("&lt;script&gt;"))
        #expect(!after.markdown.contains("<script>"))
        let json = try JSONSerialization.jsonObject(with: try after.rendered(as: .json)) as? [String: Any]
        #expect((json?["missing"] as? [String]) == after.missing)
    }

    @Test func theHelperSaysMajorAndWhyAboveTheThresholdAndNotBelow() {
        var big = record
        big.assessment = Assessment(faultStartedAt: opened, scope: "all", spread: "stable", affectedServices: ["card"], allBusinessAffected: true,
                                    initialCause: nil, recordedBy: "chen.wei")
        big.reconciliation.affectedTransactions = 150_000
        let events = timeline([[.event(TimelineEntry(.reconciliationRecorded, incident: 7, at: opened))]])
        let major = MajorSuggestion(regime: .dora, incident: incident, record: big, events: events, now: opened.addingTimeInterval(600))
        #expect(major.major)
        #expect(major.met.contains("150000 transactions affected, at least 100000") && major.met.contains("all business is affected"))
        var small = big
        small.assessment?.allBusinessAffected = false
        small.reconciliation.affectedTransactions = 40
        let minor = MajorSuggestion(regime: .dora, incident: incident, record: small, events: events, now: opened.addingTimeInterval(600))
        #expect(!minor.major)
        #expect(minor.notMet.contains("40 transactions affected, fewer than 100000"))
        #expect(minor.summary.hasPrefix("not major"))
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC: "one month later" as a regulator counts it.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
