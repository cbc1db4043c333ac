import Foundation
import Testing
import TocsinCore

/// Every report of DORA and NIS2 over real HTTP under a manual clock, on both stores: each
/// reminder reaches the owner on its instant and not a second before, each missed report pages
/// leadership on its instant, and a correction leaves the next report's clock where the
/// regulation puts it. Then a draft of every field, from an incident run end to end.
@Suite struct RegulatoryClockTests {
    static let hour: TimeInterval = 3600

    func post(_ daemon: TestDaemon, _ path: String, _ fields: [String: Any], as token: String) async throws -> Int? {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/incidents/1/\(path)", token: token, body: body)
        #expect((200..<300).contains(response.status ?? 0), "\(path): \(response.text)")
        await daemon.runDue()
        return response.status
    }

    func submit(_ daemon: TestDaemon, _ regime: String, _ report: String, _ reference: String) async throws {
        _ = try await post(daemon, "regulatory/\(regime)/\(report)/submissions", ["reference": reference], as: "token-sam")
    }

    /// The notices about `regime`'s `report` with `subject`, as (person, arrival order).
    func notices(_ daemon: TestDaemon, _ subject: String, _ regime: RegulatoryRegime, _ report: String) -> [String] {
        let name = "\(regime.title): \(regime.report(report)!.title)"
        return daemon.listener.pages.filter { $0.json["subject"] as? String == subject && ($0.json["message"] as? String)?.contains(name) == true }
            .compactMap { $0.json["person"] as? String }
    }

    /// Moves the clock to one second before `instant`, checks that `report`'s `kind` has not
    /// fired, then to `instant`, and checks that it fired then and told whom it should.
    func expectFires(_ daemon: TestDaemon, _ kind: TimelineEventKind, _ regime: RegulatoryRegime, _ report: String, at instant: Date) async throws {
        let fired = { try daemon.events(kind).filter { $0.detail["regime"] == regime.id && $0.detail["report"] == report } }
        let subject = kind == .reportMissed ? "report_missed" : "report_reminder"
        await daemon.advance(by: instant.timeIntervalSince(daemon.clock.now()) - 1)
        #expect(try fired().isEmpty, "\(regime.id) \(report) \(kind.rawValue) before \(UTCTime.string(instant))")
        #expect(notices(daemon, subject, regime, report).isEmpty)
        await daemon.advance(by: 1)
        #expect(try fired().map(\.at) == [instant], "\(regime.id) \(report) \(kind.rawValue)")
        let told = Set(notices(daemon, subject, regime, report))
        #expect(told == (kind == .reportMissed ? ["li.na", "zhou.min", "sam.okafor"] : ["sam.okafor"]), "\(regime.id) \(report) \(kind.rawValue): \(told)")
    }

    /// Opens incident 1 at the clock's now and carries it to `closed` at once, so that only the
    /// regulators' clocks still run (they outlive the incident; cadences do not).
    func closedIncident(_ daemon: TestDaemon) async throws {
        try await TotalOutageDrill.run(daemon)
        #expect(try daemon.engine.store.incident(1).stage == .closed)
    }

    @Test(arguments: StoreBackend.all) func everyReportOfDoraAndNis2FallsDueOnItsInstantAndAMissedOnePagesLeadership(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.procedure.regimes = [.dora, .nis2] }
        defer { daemon.stop() }
        let detected = daemon.clock.now()
        try await closedIncident(daemon)
        let hour = Self.hour
        let at = { (hours: Double) in detected.addingTimeInterval(hours * hour) }
        let month = { (date: Date) in Calendar.utc.date(byAdding: .month, value: 1, to: date)! }

        await daemon.advance(by: at(1).timeIntervalSince(daemon.clock.now()))
        _ = try await post(daemon, "regulatory/dora/declare", ["reason": "all payments down"], as: "token-li")
        _ = try await post(daemon, "regulatory/nis2/declare", ["reason": "significant"], as: "token-li")

        // DORA's initial notification: 4 h after the declaration, reminded an hour before.
        try await expectFires(daemon, .reportReminder, .dora, "initial", at: at(4))
        try await expectFires(daemon, .reportMissed, .dora, "initial", at: at(5))
        try await submit(daemon, "dora", "initial", "BAFIN-1")
        let initialSent = daemon.clock.now()
        // A correction 5 hours later is the same notification again: the intermediate report
        // stays due 72 h after the first submission.
        await daemon.advance(by: 5 * hour)
        try await submit(daemon, "dora", "initial", "BAFIN-1b")

        // NIS2's early warning: 24 h after detection, reminded 4 h before.
        try await expectFires(daemon, .reportReminder, .nis2, "early_warning", at: at(20))
        try await expectFires(daemon, .reportMissed, .nis2, "early_warning", at: at(24))
        try await submit(daemon, "nis2", "early_warning", "CSIRT-1")
        // NIS2's notification: 72 h after detection, reminded 12 h before; DORA's intermediate
        // 72 h after the initial notification, reminded 12 h before.
        try await expectFires(daemon, .reportReminder, .nis2, "notification", at: at(60))
        try await expectFires(daemon, .reportReminder, .dora, "intermediate", at: initialSent.addingTimeInterval(60 * hour))
        try await expectFires(daemon, .reportMissed, .nis2, "notification", at: at(72))
        try await expectFires(daemon, .reportMissed, .dora, "intermediate", at: initialSent.addingTimeInterval(72 * hour))
        try await submit(daemon, "nis2", "notification", "CSIRT-2")
        let notificationSent = daemon.clock.now()
        try await submit(daemon, "dora", "intermediate", "BAFIN-2")

        // Corrections: NIS2's final report stays a month after the notification's submission;
        // DORA's moves to a month after the latest updated intermediate report.
        await daemon.advance(by: 10 * hour)
        try await submit(daemon, "nis2", "notification", "CSIRT-2b")
        try await submit(daemon, "dora", "intermediate", "BAFIN-2b")
        let intermediateUpdated = daemon.clock.now()
        let timers = try daemon.engine.store.timers(of: 1).filter { $0.kind == .updateDue }
        #expect(timers.compactMap(\.subject).sorted() == ["regulatory.dora.final", "regulatory.nis2.final"], "\(timers)")

        // Final reports: reminded 7 days before, missed a calendar month after.
        try await expectFires(daemon, .reportReminder, .nis2, "final", at: month(notificationSent).addingTimeInterval(-7 * 24 * hour))
        try await expectFires(daemon, .reportReminder, .dora, "final", at: month(intermediateUpdated).addingTimeInterval(-7 * 24 * hour))
        try await expectFires(daemon, .reportMissed, .nis2, "final", at: month(notificationSent))
        try await expectFires(daemon, .reportMissed, .dora, "final", at: month(intermediateUpdated))
        let missed = try daemon.events(.reportMissed).map { "\($0.detail["regime"] ?? "").\($0.detail["report"] ?? "")" }
        #expect(missed == ["dora.initial", "nis2.early_warning", "nis2.notification", "dora.intermediate", "nis2.final", "dora.final"], "each report missed once: \(missed)")
        #expect(try daemon.engine.store.verifyTimelines().broken.isEmpty)
    }

    /// A report that carries every field Tocsin can draft, from an incident that recorded
    /// every figure: nothing is missing, and each figure is in the draft as recorded, in
    /// Markdown, HTML and JSON.
    @Test(arguments: StoreBackend.all) func aDraftCarriesEveryRecordedFigure(_ backend: StoreBackend) async throws {
        let everything = RegulatoryRegime(
            id: "everything", title: "Every field", source: "a test of the draft", starts: .declared,
            reports: [
                RegulatoryReport(id: "first", title: "First", clock: ReportClock(within: .duration(.seconds(4 * 3600)), after: .declared), contents: [.scope]),
                RegulatoryReport(id: "full", title: "Full report", clock: ReportClock(within: .months(1), after: .submitted("first")), contents: ReportField.allCases),
            ],
            major: MajorThresholds(allBusinessAffected: true, needed: 1))
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.procedure.regimes = [everything] }
        defer { daemon.stop() }
        let detected = daemon.clock.now()
        try await closedIncident(daemon)
        _ = try await post(daemon, "regulatory/everything/declare", ["reason": "all business affected"], as: "token-li")
        try await submit(daemon, "everything", "first", "REF-<1>")

        let answer = await daemon.request("GET", "/api/v1/incidents/1/regulatory/everything/full/draft?format=json", token: "token-sam")
        #expect(answer.status == 200, "\(answer.text)")
        let draft = try TocsinJSON.decoder.decode(ReportDraft.self, from: answer.body)
        #expect(draft.missing == [], "every figure is on record: \(draft.missing)")
        let values = Dictionary(uniqueKeysWithValues: draft.fields.map { ($0.field, $0.value ?? "") })
        #expect(values.keys.count == ReportField.allCases.count)

        let record = try daemon.engine.store.procedureRecord(1)
        let events = try daemon.engine.store.timeline(1)
        let time = { (kind: TimelineEventKind) in UTCTime.string(try #require(events.first { $0.kind == kind }).at) }
        let expected: [ReportField: String] = [
            .detectedAt: UTCTime.string(detected),
            .classifiedAt: try time(.incidentOpened),
            .declaredAt: "\(try time(.regulatoryDeclared)) by li.na: all business affected",
            .faultStartedAt: UTCTime.string(detected.addingTimeInterval(-240)),
            .severity: try daemon.engine.store.incident(1).severity.description,
            .stage: "closed",
            .scope: "all payments",
            .spread: "all regions, rising",
            .affectedServices: "payments-core, card-acquiring",
            .allBusinessAffected: "yes",
            .initialCause: "core ledger primary unreachable",
            .tradingStopped: "yes: all trading, ordered by chen.wei, approved by li.na; resumed \(UTCTime.string(try #require(record.tradingResumedAt)))",
            .affectedTransactions: "4810",
            .amount: "1250400.75 CNY",
            .channels: "UnionPay, WeChat Pay",
            .banks: "ICBC, CCB",
            .rootCause: "ledger primary storage controller failed",
            .recoveryPlan: "promote replica; repoint apps (approved by zhou.min)",
            .operations: "\(try time(.operationRecorded)) zhang.lei: promoted replica db-2 → writes accepted",
            .serviceRestoredAt: try time(.serviceRestored),
            .reconciliation: "12 discrepancies found, 12 resolved, 0 open",
            .summary: "Ledger primary failed; trading stopped 20 minutes.",
            .followUps: "Replace storage controller; Drill ledger failover quarterly",
            .previousReference: "REF-<1>",
        ]
        for (field, value) in expected {
            #expect(values[field.rawValue] == value, "\(field.rawValue)")
        }
        #expect(values["classification"]?.hasPrefix("declared major \(try time(.regulatoryDeclared)) by li.na: all business affected; suggested from the figures: major") == true,
                "\(values["classification"] ?? "")")

        // The same figures in the Markdown and HTML drafts, the recorded words escaped.
        let markdown = await daemon.request("GET", "/api/v1/incidents/1/regulatory/everything/full/draft", token: "token-sam").text
        let html = await daemon.request("GET", "/api/v1/incidents/1/regulatory/everything/full/draft?format=html", token: "token-sam").text
        for (field, value) in expected where field != .previousReference {
            #expect(markdown.contains("| \(field.label) | \(value) |"), "Markdown \(field.rawValue): \(value)")
            #expect(html.contains(value.replacingOccurrences(of: "&", with: "&amp;")), "HTML \(field.rawValue): \(value)")
        }
        #expect(markdown.contains("| \(ReportField.previousReference.label) | REF-&lt;1> |") && html.contains("REF-&lt;1&gt;") && !html.contains("REF-<1>"))
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
