import Foundation
import Testing
import TocsinCore

/// Drills through the real HTTP API, with every person's webhook and the platform's trade
/// switch answered by a real local receiver, under a manual clock.
@Suite struct DrillTests {
    /// Starts a drill as `token` and returns the answer.
    func startDrill(_ daemon: TestDaemon, runbook: String = "total-outage", severity: String = "SEV1", script: String? = nil,
                    as token: String = "token-li") async throws -> (status: Int?, json: [String: Any]) {
        var fields: [String: Any] = ["runbook": runbook, "severity": severity]
        fields["script"] = script
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/drills", token: token, body: body)
        return (response.status, response.json)
    }

    func act(_ daemon: TestDaemon, _ action: String, _ fields: [String: Any] = [:], as token: String, incident: Int = 1) async throws -> (status: Int?, json: [String: Any]) {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/incidents/\(incident)/\(action)", token: token, body: body)
        await daemon.runDue()
        return (response.status, response.json)
    }

    func assess(_ daemon: TestDaemon, allBusiness: Bool, incident: Int = 1) async throws {
        let assessed = try await act(daemon, "assess", [
            "fault_started_at": UTCTime.string(daemon.clock.now().addingTimeInterval(-300)), "scope": "all card payments", "spread": "every region",
            "affected_services": ["payments-core"], "all_business_affected": allBusiness,
        ], as: "token-chen", incident: incident)
        #expect(assessed.status == 200, "\(assessed.json)")
    }

    /// Everything the receiver got for incident `id`: pages and notices alike.
    func received(_ daemon: TestDaemon, incident id: Int) -> [[String: Any]] {
        daemon.listener.pages.map(\.json).filter { $0["incident_id"] as? Int == id }
    }

    @Test(arguments: StoreBackend.all) func everyPageOfADrillSaysDrillAndTheTradeSwitchIsNeverCalled(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let started = try await startDrill(daemon)
        #expect(started.status == 201, "\(started.json)")
        #expect((started.json["incident"] as? [String: Any])?["drill"] as? Bool == true)
        await daemon.runDue()
        let page = try #require(daemon.escalationPages.first)
        #expect(page.path == "/chen.wei" && page.json["drill"] as? Bool == true)
        #expect((page.json["summary"] as? String)?.hasPrefix("DRILL: Total payment outage") == true, "\(page.json)")

        #expect(try await act(daemon, "ack", as: "token-chen").status == 200)
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen").status == 200)
        try await assess(daemon, allBusiness: true)
        #expect(try await act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen").status == 200)
        let approved = try await act(daemon, "approve-stop-trading", as: "token-li")
        #expect(approved.status == 200 && approved.json["stage"] as? String == "trading_stopped", "\(approved.json)")
        #expect(try await act(daemon, "advance", ["to": "recovering"], as: "token-chen").status == 200)
        #expect(try await act(daemon, "resume-trading", as: "token-chen").status == 200)

        #expect(!daemon.listener.pages.contains { $0.path.hasPrefix("/platform") }, "a drill never reaches the platform's trade switch")
        let answers = try daemon.events(.tradeSwitchSucceeded).map { $0.detail["answer"] ?? "" }
        #expect(answers == [DrillTradeSwitch.simulated, DrillTradeSwitch.simulated])
        let all = received(daemon, incident: 1)
        #expect(all.count > 5, "pages and notices went out: \(all.count)")
        for message in all {
            let opening = (message["kind"] as? String == "notice" ? message["message"] : message["summary"]) as? String ?? ""
            #expect(opening.hasPrefix("DRILL"), "every page and notice opens with DRILL: \(message)")
        }
        let notices = all.filter { $0["kind"] as? String == "notice" }.compactMap { $0["subject"] as? String }
        #expect(notices.contains("stage_changed") && notices.contains("urgent"))
    }

    @Test(arguments: StoreBackend.all) func aScriptedTradeSwitchFailureThenTheDrillEndpoint(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, port in
            rules.drills.tradeSwitchURL = "http://127.0.0.1:\(port)/drill-switch"
        }
        defer { daemon.stop() }
        let script = """
            name: Stop-trade call fails
            injections:
              - {after: 5m, inject: trade_switch_fails}
            """
        #expect(try await startDrill(daemon, script: script).status == 201)
        await daemon.runDue()
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen").status == 200)
        try await assess(daemon, allBusiness: true)
        #expect(try await act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen").status == 200)
        await daemon.advance(by: 300)

        let failed = try await act(daemon, "approve-stop-trading", as: "token-li")
        #expect(failed.status == 502, "\(failed.json)")
        #expect(try daemon.engine.store.incident(1).stage == .assessing)
        #expect(try daemon.events(.tradeSwitchFailed).map { $0.detail["answer"] } == [DrillTradeSwitch.scriptedFailure])
        #expect(daemon.notices.contains { $0.subject == "urgent" && $0.person == "li.na" })

        let retried = try await act(daemon, "approve-stop-trading", as: "token-zhou")
        #expect(retried.json["stage"] as? String == "trading_stopped", "\(retried.json)")
        let call = try #require(daemon.listener.pages.first { $0.path == "/drill-switch" })
        #expect(call.json["drill"] as? Bool == true && call.json["action"] as? String == "stop")
        #expect(!daemon.listener.pages.contains { $0.path.hasPrefix("/platform") })
    }

    @Test(arguments: StoreBackend.all) func scriptedEventsComeAtTheirTimeAndSurviveARestart(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let script = """
            injections:
              - {after: 2m, inject: alert_fires, service: card-acquiring, summary: Card declines above 30%, severity: SEV1}
              - {after: 4m, inject: operation_fails, action: promote replica db-2, result: replica 40 s behind}
              - {after: 6m, inject: vendor_silent, person: vendor.dba}
              - {after: 8m, inject: alert_resolves, service: card-acquiring}
            """
        let started = try await startDrill(daemon, severity: "SEV2", script: script)
        #expect(started.json["injections"] as? Int == 4)
        await daemon.runDue()
        #expect(try daemon.engine.store.timers(of: 1).filter { $0.kind == .drillInjection }.count == 4)

        await daemon.advance(by: 119)
        #expect(try daemon.events(.alertReceived).isEmpty)
        await daemon.advance(by: 1)
        let alert = try #require(try daemon.events(.alertReceived).first)
        #expect(alert.detail["service"] == "card-acquiring" && alert.at == daemon.clock.now())
        #expect(try daemon.engine.store.incident(1).severity == .sev1, "the scripted alert raises the drill's severity")
        let told = try #require(daemon.listener.pages.first { $0.json["subject"] as? String == "alert_fired" })
        #expect((told.json["message"] as? String)?.hasPrefix("DRILL: A further alert fires on card-acquiring") == true)

        // The rest of the script is rows in the record: a restart keeps it.
        await daemon.stopServer()
        try await daemon.startServer()
        await daemon.advance(by: 120)
        let failure = try #require(try daemon.events(.drillInjected).first)
        #expect(failure.detail["injection"] == "operation_fails" && failure.detail["person"] == "zhang.lei")
        #expect(Set(daemon.notices.filter { $0.subject == "operation_failed" }.map(\.person)) == ["chen.wei", "sam.okafor", "zhang.lei", "vendor.dba"])
        await daemon.advance(by: 240)
        #expect(try daemon.events(.drillInjected).map { $0.detail["injection"] } == ["operation_fails", "vendor_silent"])
        #expect(try daemon.events(.alertResolved).count == 1)
        #expect(try daemon.engine.store.timers(of: 1).filter { $0.kind == .drillInjection }.isEmpty)
    }

    /// A silent vendor really does not answer: from the injection on, nothing the drill sends
    /// reaches them (the page trail shows each page withheld and why), their acknowledgement
    /// and their commands are refused, and the commander and coordinator are told.
    @Test(arguments: StoreBackend.all) func aSilentVendorGetsNothingAndTheirAnswerDoesNotCount(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let script = """
            injections:
              - {after: 5m, inject: vendor_silent}
              - {after: 6m, inject: operation_fails, action: restore the ledger backup, result: checksum mismatch}
            """
        #expect(try await startDrill(daemon, script: script).status == 201)
        await daemon.runDue()
        let toVendor = { daemon.listener.pages.filter { $0.path == "/vendor.dba" } }
        #expect(try await act(daemon, "ack", as: "token-chen").status == 200)
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen").status == 200)
        #expect(toVendor().count == 1, "before the silence the vendor hears of the stage change")
        #expect(try await act(daemon, "note", ["text": "checking replication lag"], as: "token-vendor").status == 200)

        await daemon.advance(by: 300)
        // The script names nobody: the drill's external executor is the silent vendor.
        #expect(try daemon.events(.drillInjected).map { $0.detail["person"] } == ["vendor.dba"])
        #expect(try daemon.engine.store.incident(1).silentInDrill == ["vendor.dba"])
        let told = daemon.listener.pages.filter { $0.json["subject"] as? String == "vendor_silent" }
        #expect(Set(told.compactMap { $0.json["person"] as? String }) == ["chen.wei", "sam.okafor"])
        #expect((told.first?.json["message"] as? String)?.hasPrefix("DRILL: vendor.dba does not answer") == true, "\(told.first?.json ?? [:])")

        // The failed operation's notice and the next stage change go to every executor but the vendor.
        await daemon.advance(by: 60)
        try await assess(daemon, allBusiness: false)
        #expect(try await act(daemon, "advance", ["to": "recovering"], as: "token-chen").status == 200)
        #expect(toVendor().count == 1, "nothing more reached the vendor")
        #expect(received(daemon, incident: 1).contains { $0["person"] as? String == "zhang.lei" && $0["subject"] as? String == "operation_failed" })
        let withheld = try daemon.events(.pageWithheld)
        #expect(withheld.allSatisfy { $0.detail["person"] == "vendor.dba" } && Set(withheld.compactMap { $0.detail["purpose"] }) == ["operation_failed", "stage_changed"],
                "\(withheld.map(\.detail))")
        #expect(withheld.allSatisfy { $0.detail["reason"] == "DRILL: vendor.dba is scripted not to answer in this drill" })
        let commander = ConsoleVisitor(daemon)
        await commander.signIn("token-chen")
        let page = await commander.get("/incidents/1").text
        #expect(page.contains("<span class=\"delivery withheld\">withheld</span>") && page.contains("scripted not to answer"), "the page trail shows the withheld pages")

        // The vendor's answer does not count, and the refusal is not the team's gate.
        let before = try daemon.snapshot()
        let ack = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-vendor")
        #expect(ack.status == 409 && ack.headers["content-type"] == "application/problem+json" && (ack.json["detail"] as? String)?.contains("scripted not to answer") == true)
        let op = await daemon.request("POST", "/api/v1/incidents/1/op", token: "token-vendor", body: #"{"action":"restarted db-1","result":"ok"}"#)
        #expect(op.status == 409, "\(op.json)")
        #expect(try daemon.snapshot() == before, "the vendor's refused answers change nothing, not even the drill's timeline")
    }

    /// A command the procedure refuses changes nothing on a real incident. On a drill it
    /// changes nothing either, but the refusal is kept on the drill's timeline (`gate_refused`),
    /// which is how the scorecard learns it: the stage, the record, the clocks and the outbox
    /// stay as they were.
    @Test(arguments: StoreBackend.all) func aRefusedCommandChangesNothingOnADrillButItsRefusalIsKept(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        #expect(try await startDrill(daemon).status == 201)
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        for incident in [1, 2] {
            #expect(try await act(daemon, "ack", as: "token-chen", incident: incident).status == 200)
            #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen", incident: incident).status == 200)
            try await assess(daemon, allBusiness: false, incident: incident)
        }
        let refusals: [(String, [String: Any], String, Int)] = [
            ("advance", ["to": "trading_stopped"], "token-chen", 422),            // only by proposal and approval
            ("advance", ["to": "closed"], "token-chen", 409),                     // not the next stage
            ("stop-trading", ["what": "all trading"], "token-chen", 422),         // not all business affected
            ("approve-plan", [:], "token-zhang", 403),                            // not leadership
            ("reconcile", ["discrepancies_found": 1], "token-chen", 409),         // not reconciling yet
        ]
        func state(_ id: Int64) throws -> String {
            let store = daemon.engine.store
            let incident = try store.incident(id)
            let record = try store.procedureRecord(id)
            let timers = try store.timers(of: id).map { "\($0.kind) \($0.dueAt) \($0.subject ?? "")" }
            let events = try store.timeline(id).filter { $0.kind != .gateRefused }.map(\.hash)
            return "\(incident) \(record) \(timers) \(events)"
        }
        let real = try daemon.snapshot()
        for (action, fields, token, status) in refusals {
            #expect(try await act(daemon, action, fields, as: token, incident: 2).status == status, "\(action) on the real incident")
        }
        #expect(try daemon.snapshot() == real, "a refusal on a real incident changes nothing at all")

        let drill = try state(1)
        let pagesBefore = daemon.listener.pages.count
        for (action, fields, token, status) in refusals {
            #expect(try await act(daemon, action, fields, as: token, incident: 1).status == status, "\(action) on the drill")
        }
        #expect(try state(1) == drill, "the drill's stage, record, clocks and timeline are as they were")
        #expect(daemon.listener.pages.count == pagesBefore, "nobody is paged for a refusal")
        let kept = try daemon.events(.gateRefused)
        #expect(kept.map { $0.detail["action"] } == ["advance", "advance", "stop-trading", "approve-plan", "reconcile"])
        #expect(kept.map(\.actor) == ["chen.wei", "chen.wei", "chen.wei", "zhang.lei", "chen.wei"])
        #expect(kept.first?.detail["reason"] == "Trading is stopped by a proposal (stop-trading) and a second person's approval (approve-stop-trading), not by advancing.",
                "\(kept.first?.detail ?? [:])")
        #expect(try daemon.events(.gateRefused, incident: 2).isEmpty)
        // Input that is not a command at all is refused before the procedure sees it: nothing kept.
        let malformed = await daemon.request("POST", "/api/v1/incidents/1/advance", token: "token-chen", body: #"{"to":"finished"}"#)
        #expect(malformed.status == 400)
        #expect(try daemon.events(.gateRefused).count == 5)
        #expect(try daemon.engine.store.verifyTimelines().broken.isEmpty)
    }

    @Test(arguments: StoreBackend.all) func aDrillStaysOutOfTheResponseReport(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let from = daemon.clock.now().addingTimeInterval(-60)
        #expect(try await startDrill(daemon).status == 201)
        await daemon.runDue()
        await daemon.advance(by: 30)
        #expect(try await act(daemon, "ack", as: "token-chen", incident: 1).status == 200)
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 240)
        #expect(try await act(daemon, "ack", as: "token-chen", incident: 2).status == 200)

        let query = "from=\(UTCTime.string(from))&to=\(UTCTime.string(daemon.clock.now().addingTimeInterval(60)))"
        let report = await daemon.request("GET", "/api/v1/reports/response?\(query)", token: "token-grace")
        #expect(report.status == 200)
        #expect(report.json["incidents"] as? Int == 1, "\(report.json)")
        let rows = report.json["by_service_and_severity"] as? [[String: Any]] ?? []
        #expect(rows.count == 1 && rows.first?["service"] as? String == "payments-core" && rows.first?["mtta_s"] as? Double == 240, "\(rows)")
    }

    @Test(arguments: StoreBackend.all) func badDrillRequestsAreRefusedAndChangeNothing(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let cases: [(String, String, Int, String)] = [
            (#"{"runbook":"no-such-runbook"}"#, "token-li", 422, "no runbook"),
            (#"{"runbook":"total-outage","severity":"SEV9"}"#, "token-li", 400, "SEV9"),
            (#"{"runbook":"total-outage","script":"injections:\n  - {after: 2m, inject: meteor}"}"#, "token-li", 422, "meteor"),
            (#"{"runbook":"total-outage","script":"injections:\n  - {after: soon, inject: vendor_silent}"}"#, "token-li", 422, "duration"),
            (#"{"runbook":"total-outage","script":"injections:\n  - {after: 1m, inject: vendor_silent, person: nobody}"}"#, "token-li", 422, "nobody"),
            (#"{"runbook":"total-outage","pages":false}"#, "token-li", 400, "Unknown field"),
            (#"{"runbook":"total-outage"}"#, "token-zhang", 403, "may not start drills"),
            (#"{"runbook":"total-outage"}"#, "token-monitoring", 403, "needs a person"),
        ]
        for (body, token, status, detail) in cases {
            let response = await daemon.request("POST", "/api/v1/drills", token: token, body: body)
            #expect(response.status == status, "\(body)")
            #expect(response.headers["content-type"] == "application/problem+json")
            #expect((response.json["detail"] as? String)?.localizedCaseInsensitiveContains(detail) == true, "\(body): \(response.json["detail"] ?? "")")
        }
        let real = await daemon.request("GET", "/api/v1/drills/1/scorecard", token: "token-li")
        #expect(real.status == 404)
        #expect(try daemon.snapshot() == before)
    }
}

/// Drills from the console: the same start and scorecard, behind a session and its CSRF token.
@Suite struct ConsoleDrillTests {
    @Test func aDrillStartedFromTheConsoleOpensItsIncidentMarkedAsADrillWithItsScorecard() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let executor = ConsoleVisitor(daemon)
        await executor.signIn("token-zhang")
        #expect(await executor.get("/drills").status == 403)

        let leader = ConsoleVisitor(daemon)
        await leader.signIn("token-li")
        let page = await leader.get("/drills")
        #expect(page.status == 200 && page.text.contains("<option value=\"total-outage\">") && page.text.contains("No drill yet."))
        let refused = await leader.post("/drills", ["runbook": "meteor-strike", "severity": "SEV1"])
        #expect(refused.status == 422 && refused.text.contains("There is no runbook &quot;meteor-strike&quot;"))
        #expect(try daemon.engine.store.incidents().isEmpty)

        let started = await leader.post("/drills", ["runbook": "total-outage", "severity": "SEV2", "script": "injections:\n  - {after: 1m, inject: vendor_silent}"])
        #expect(started.status == 303 && started.headers["location"] == "/incidents/1")
        let incident = try daemon.engine.store.incident(1)
        #expect(incident.isDrill && incident.severity == .sev2)
        #expect(try daemon.engine.store.timers(of: 1).contains { $0.kind == .drillInjection })
        let incidentPage = await leader.get("/incidents/1")
        #expect(incidentPage.text.contains("DRILL: a rehearsal") && !incidentPage.text.contains("vendor_silent"), "the script stays a surprise")
        let scorecard = await leader.get("/drills/1")
        #expect(scorecard.status == 200 && scorecard.text.contains("Time to acknowledge per role") && scorecard.text.contains("<td>commander</td><td>nobody</td>"))
        #expect(await leader.get("/drills/2").status == 404)
    }
}
