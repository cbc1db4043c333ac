import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// The export is the record: a whole incident checked field by field in every format.
@Suite struct ExportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func export(_ daemon: TestDaemon, _ format: String, as token: String = "token-li", tz: String = "Asia/Shanghai") async -> HTTPTransferResponse {
        await daemon.request("POST", "/api/v1/incidents/1/export?format=\(format)&tz=\(tz)", token: token)
    }

    @Test(arguments: StoreBackend.all) func jsonExportHoldsTheWholeIncidentAndMatchesItsSchema(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await TotalOutageDrill.run(daemon)
        let response = await export(daemon, "json")
        #expect(response.status == 200)
        let export = try TocsinJSON.decoder.decode(IncidentExport.self, from: response.body)

        #expect(export.schema == "tocsin-incident-export/1")
        #expect(export.exportedBy == "li.na" && export.timeZone == "Asia/Shanghai")
        #expect(export.incident.id == 1 && export.incident.stage == .closed && export.incident.severity == .sev1)
        #expect(export.incident.acknowledgedBy == "chen.wei")
        #expect(export.procedure.roles.commander == "priya.raman")
        #expect(export.procedure.assessment?.allBusinessAffected == true)
        #expect(export.procedure.stopTrading?.approvedBy == "li.na")
        #expect(export.procedure.plan?.approvedBy == "zhou.min")
        #expect(export.procedure.operations.map(\.action) == ["promoted replica db-2"])
        #expect(export.procedure.reconciliation.amount == "1250400.75" && export.procedure.reconciliation.currency == "CNY")
        #expect(export.procedure.reconciliation.banks == ["ICBC", "CCB"] && export.procedure.reconciliation.openDiscrepancies == 0)
        #expect(export.procedure.closing?.followUps.count == 2)

        // The drill: opened at T, acked at T+120 s, trading stopped right after assessing, service restored at T+720 s.
        #expect(export.figures.acknowledge == 120)
        #expect(export.figures.stopTrading == 120)
        #expect(export.figures.recover == 720)
        #expect(export.figures.reconcile == 720)
        #expect(export.figures.close == 720)
        #expect(export.stages.map(\.stage) == [.reported, .assessing, .tradingStopped, .recovering, .reconciling, .closed])
        #expect(export.stages[0].duration == 120)
        #expect(export.stages[2].duration == 600, "trading stayed stopped for the 10 minutes the drill waited")
        #expect(export.stages.last?.duration == nil)

        #expect(export.events.map(\.sequence) == Array(1...export.events.count))
        #expect(export.events.last?.kind == .exported && export.events.last?.actor == "li.na")
        #expect(export.timelineEvents.chainProblem() == nil)
        let opened = try #require(export.events.first)
        #expect(opened.localTime == "2027-01-15 16:00:00.000 +08:00", "UTC 08:00 shown in the viewer's zone")
        #expect(opened.actorRoles == ["alert source"])
        #expect(export.events.first { $0.kind == .stopTradingApproved }?.actorRoles == ["leadership"])
        #expect(export.events.first { $0.kind == .assessmentRecorded }?.actorRoles == ["commander", "fault_analyst"])
        #expect(export.events.first { $0.kind == .serviceRestored }?.actorRoles == ["commander", "fault_analyst"], "priya.raman after the handover")

        let commanderPage = try #require(export.pages.first)
        #expect(commanderPage.person == "chen.wei" && commanderPage.purpose == "escalation step 0" && commanderPage.outcome == "sent" && commanderPage.lastStatus == "200")
        #expect(export.pages.contains { $0.purpose == "stage_changed" && $0.person == "vendor.dba" })
        #expect(export.pages.allSatisfy { $0.outcome == "sent" })
        let updates = Dictionary(uniqueKeysWithValues: export.updates.map { ($0.kind, $0) })
        #expect(updates[.bulletin]?.onTime == 1 && updates[.business]?.onTime == 1 && updates[.regulatory]?.onTime == 1)
        #expect(export.checklist.map(\.doneBy) == ["chen.wei", nil, nil])

        // The JSON matches the schema kept in the repository.
        let file = daemon.folder.appendingPathComponent("export.json")
        try response.body.write(to: file)
        let schema = Self.repository.appendingPathComponent("Deploy/incident-export.schema.json").path
        let validator = try await ChildProcess.run("/usr/bin/python3", ["-c", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1]))); print('valid')", schema, file.path])
        #expect(validator.status == 0, "schema validation: \(validator.output)")
    }

    @Test(arguments: StoreBackend.all) func csvMarkdownAndHTMLCarryTheSameRecord(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await TotalOutageDrill.run(daemon)

        let csv = await export(daemon, "csv")
        #expect(csv.status == 200)
        let rows = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "incident_id,sequence,at_utc,local_time,kind,actor,actor_roles,detail,previous_hash,hash")
        let events = try daemon.engine.store.timeline(1)
        #expect(rows.count == events.count + 1)
        #expect(rows[1].hasPrefix("1,1,2027-01-15T08:00:00.000Z,2027-01-15 16:00:00.000 +08:00,incident_opened,prometheus,alert source,"))
        #expect(rows.contains { $0.contains(",stop_trading_approved,li.na,leadership,") })
        #expect(rows.last?.contains(",exported,li.na,") == true)
        let fields = rows.map(Self.csvFields)
        #expect(fields.allSatisfy { $0.count == 10 }, "every row has exactly the header's ten fields")
        let assessed = try #require(fields.first { $0[4] == "assessment_recorded" })
        #expect(assessed[7].contains("affected_services=payments-core, card-acquiring"), "a detail with commas stays one quoted field")
        #expect(fields.dropFirst().map { $0[9] } == events.map(\.hash))

        let markdown = await export(daemon, "markdown")
        #expect(markdown.text.hasPrefix("# Incident 1: Payment API 5xx above 20%"))
        for line in ["| Time to acknowledge | 2m 00s |", "| Time to recover | 12m 00s |", "| trading_stopped |", "| Root cause | ledger primary storage controller failed |",
                     "| Discrepancies | 12 found, 12 resolved, 0 open |", "| bulletin | 1 | 0 | 0 |", "- [x] 1. Confirm scope (chen.wei)", "- [ ] 2. Stop trading"] {
            #expect(markdown.text.contains(line), "markdown lacks \(line)")
        }
        // People's and the procedure's acts lead; each act's page deliveries are folded into its row.
        let timelineRows = markdown.text.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.dropFirst(2).first?.isNumber == true }
        let acts = events.filter { !PageTrail.isDeliveryDetail($0.kind) }
        #expect(events.count > acts.count, "the drill sent pages")
        #expect(timelineRows.count == acts.count + 1, "every act, plus this export's own")
        #expect(!timelineRows.contains { $0.contains("| page_queued |") || $0.contains("| page_sent |") }, "no delivery event has a row of its own")
        let firstPages = try #require(timelineRows.first { $0.contains("page events:") })
        #expect(firstPages.contains("page_queued"), "the first pages are folded under the act that queued them: \(firstPages)")
        let folded = timelineRows.compactMap { row in
            row.split(separator: "|").last.flatMap { cell in cell.split(separator: ":").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") } }
        }.reduce(0, +)
        #expect(folded == events.count - acts.count, "every delivery event is counted under an act")

        let html = await export(daemon, "html")
        #expect(html.status == 200)
        for fragment in ["<h1>Incident 1: Payment API 5xx above 20%</h1>", "@page { size: A4", "<dt>Root cause</dt><dd>ledger primary storage controller failed</dd>",
                         "<td class=\"k\">stop_trading_approved</td>", "<span>12m 00s</span>Time to recover", "☑ 1. Confirm scope",
                         "<details><summary>"] {
            #expect(html.text.contains(fragment), "html lacks \(fragment)")
        }
    }

    /// Splits one RFC 4180 row into its fields.
    static func csvFields(_ row: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false, previous: Character = " "
        for character in row {
            if character == "\"" {
                if quoted && previous == "\"" { field.append("\"") }
                quoted.toggle()
            } else if character == "," && !quoted {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
            previous = character
        }
        return fields + [field]
    }

    @Test(arguments: StoreBackend.all) func onlyReviewersCommandersAndLeadershipExportAndEveryExportIsRecorded(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let before = try daemon.snapshot()
        let executor = await export(daemon, "json", as: "token-zhang")
        #expect(executor.status == 403)
        #expect((executor.json["detail"] as? String)?.contains("reviewer, commander (fault_analyst) or leadership") == true)
        let integration = await export(daemon, "json", as: "token-monitoring")
        #expect(integration.status == 403)
        #expect((integration.json["detail"] as? String)?.contains("exporting an incident needs a person's token") == true)
        let badFormat = await export(daemon, "pdf", as: "token-chen")
        #expect(badFormat.status == 400)
        let badZone = await export(daemon, "json", as: "token-chen", tz: "Mars/Olympus")
        #expect(badZone.status == 400)
        #expect(try daemon.snapshot() == before, "refused exports record nothing")

        for token in ["token-chen", "token-li", "token-grace"] {
            #expect(await export(daemon, "markdown", as: token).status == 200)
        }
        let exports = try daemon.engine.store.timeline(1).filter { $0.kind == .exported }
        #expect(exports.map(\.actor) == ["chen.wei", "li.na", "grace.ho"])
        #expect(exports.allSatisfy { $0.detail["format"] == "markdown" })
    }

    @Test(arguments: StoreBackend.all) func timelineAndListingStayReadableToResponders(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "one", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "two", startsAt: daemon.clock.now()))
        let list = await daemon.request("GET", "/api/v1/incidents", token: "token-zhang")
        let incidents = try TocsinJSON.decoder.decode([Incident].self, from: list.body)
        #expect(incidents.map(\.id) == [2, 1])
        let timeline = await daemon.request("GET", "/api/v1/incidents/1/timeline", token: "token-zhang")
        let decoded = try TocsinJSON.decoder.decode(IncidentTimeline.self, from: timeline.body)
        #expect(decoded.events.map(\.kind).prefix(3) == [.incidentOpened, .alertReceived, .severitySet])
        #expect(decoded.events.firstBrokenLink() == nil)
    }
}
