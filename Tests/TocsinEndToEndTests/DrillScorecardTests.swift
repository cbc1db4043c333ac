import Foundation
import Testing
import TocsinCore

/// A drill run from opening to close under the manual clock, then its scorecard read back
/// over the API, figure by figure.
@Suite struct DrillScorecardTests {
    func act(_ daemon: TestDaemon, _ action: String, _ fields: [String: Any] = [:], as token: String) async throws -> Int? {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/incidents/1/\(action)", token: token, body: body)
        await daemon.runDue()
        return response.status
    }

    /// Commander acknowledges after 90 s; the coordinator's first bulletin comes at 20 min; the
    /// plan at 50 min; the business lead never posts; the drill closes at 70 min.
    func runDrill(_ daemon: TestDaemon) async throws {
        let body = #"{"runbook":"total-outage","severity":"SEV1"}"#
        #expect(await daemon.request("POST", "/api/v1/drills", token: "token-li", body: body).status == 201)
        await daemon.runDue()
        await daemon.advance(by: 90)
        #expect(try await act(daemon, "ack", as: "token-chen") == 200)
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen") == 200)
        #expect(try await act(daemon, "advance", ["to": "recovering"], as: "token-chen") == 409, "no assessment yet: the gate refuses")
        #expect(try await act(daemon, "assess", ["fault_started_at": UTCTime.string(daemon.clock.now()), "scope": "card payments", "spread": "steady",
                                                  "affected_services": ["payments-core"], "all_business_affected": false], as: "token-chen") == 200)
        #expect(try await act(daemon, "checklist", ["step": 1], as: "token-chen") == 200)
        await daemon.advance(by: 1200 - 90, inStepsOf: 300)
        #expect(try await act(daemon, "update", ["kind": "bulletin", "text": "Failover under way"], as: "token-sam") == 200)
        await daemon.advance(by: 3000 - 1200, inStepsOf: 300)
        #expect(try await act(daemon, "plan", ["root_cause": "ledger primary lost its storage", "steps": "promote replica"], as: "token-chen") == 200)
        #expect(try await act(daemon, "approve-plan", as: "token-zhou") == 200)
        await daemon.advance(by: 4200 - 3000, inStepsOf: 300)
        #expect(try await act(daemon, "advance", ["to": "recovering"], as: "token-chen") == 200)
        #expect(try await act(daemon, "op", ["action": "promoted replica db-2", "result": "writes accepted"], as: "token-zhang") == 200)
        #expect(try await act(daemon, "service-restored", as: "token-chen") == 200)
        #expect(try await act(daemon, "advance", ["to": "reconciling"], as: "token-chen") == 200)
        #expect(try await act(daemon, "reconcile", ["affected_transactions": 12, "discrepancies_found": 0], as: "token-zhang") == 200)
        #expect(try await act(daemon, "advance", ["to": "closed", "summary": "Drill done", "follow_ups": ["Practise the business update"]], as: "token-chen") == 200)
    }

    @Test(arguments: StoreBackend.all) func theScorecardOfARunDrillFigureByFigure(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await runDrill(daemon)
        let answer = await daemon.request("GET", "/api/v1/drills/1/scorecard", token: "token-grace")
        #expect(answer.status == 200)
        let card = try TocsinJSON.decoder.decode(DrillScorecard.self, from: answer.body)

        let byRole = Dictionary(uniqueKeysWithValues: card.acknowledgements.map { ($0.role, $0) })
        #expect(byRole[.commander]?.person == "chen.wei" && byRole[.commander]?.after == 90 && byRole[.commander]?.target == 300)
        #expect(byRole[.commander]?.met == true, "acknowledged after 90 s against a 5 min target")
        #expect(byRole[.coordinator]?.person == "sam.okafor" && byRole[.coordinator]?.after == 1200 && byRole[.coordinator]?.met == false)
        #expect(byRole[.businessLead]?.person == nil && byRole[.businessLead]?.met == false)
        #expect(byRole[.executor]?.person == "zhang.lei" && byRole[.executor]?.after == 4200)

        #expect(card.stages.map(\.stage) == [.assessing, .recovering, .reconciling, .closed])
        #expect(card.stages.map(\.after) == [90, 4200, 4200, 4200])
        #expect(card.closedAt == card.openedAt.addingTimeInterval(4200))

        let rootCause = try #require(card.deadlines.first)
        #expect(rootCause.name == "root cause and plan" && rootCause.doneAfter == 3000 && rootCause.target == 3600 && rootCause.met)
        #expect(card.deadlines.contains { $0.name == "procedure clock root_cause_and_plan" && $0.met })

        let bulletin = try #require(card.updates.first { $0.kind == .bulletin })
        #expect(bulletin.posted == 1 && bulletin.onTime == 1 && bulletin.late == 0 && bulletin.missed == 1, "\(bulletin)")
        let business = try #require(card.updates.first { $0.kind == .business })
        #expect(business.posted == 0 && business.missed == 1, "\(business)")

        #expect(card.gatesRefused.count == 1)
        #expect(card.gatesRefused.first?.by == "chen.wei" && card.gatesRefused.first?.action == "advance")
        #expect(card.gatesRefused.first?.reason.contains("the assessment") == true)
        #expect(card.checklist.filter { $0.doneBy != nil }.map(\.step) == [1] && card.checklistCompletion == 1.0 / 3)
        let chen = try #require(card.people.first { $0.person == "chen.wei" })
        #expect(chen.did["acknowledged"] == 1 && chen.did["stage_changed"] == 4 && chen.did["plan_recorded"] == 1)
        #expect(card.people.first { $0.person == "zhou.min" }?.did == ["plan_approved": 1])

        // The same figures for the terminal, in Markdown and in HTML.
        let text = await daemon.request("GET", "/api/v1/drills/1/scorecard?format=text", token: "token-grace").text
        let commanderLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("commander ") })
        #expect(commanderLine.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") == "commander chen.wei 1m 30s 5m 00s met", "\(text)")
        let markdown = await daemon.request("GET", "/api/v1/drills/1/scorecard?format=markdown", token: "token-grace")
        #expect(markdown.headers["content-type"]?.hasPrefix("text/markdown") == true)
        #expect(markdown.text.contains("| root cause and plan | 1h 00m | 50m 00s | met |"), "\(markdown.text)")
        let html = await daemon.request("GET", "/api/v1/drills/1/scorecard?format=html", token: "token-grace").text
        #expect(html.contains("<td>business_lead</td><td>nobody</td>"), "\(html)")

        // The history has the drill, with the same responses.
        let history = try TocsinJSON.decoder.decode(DrillHistory.self, from: await daemon.request("GET", "/api/v1/drills", token: "token-li").body)
        #expect(history.drills.map(\.incidentID) == [1])
        #expect(history.drills.first?.responses == card.acknowledgements)
        #expect(history.drills.first?.updatesOnTime == 1 && history.drills.first?.updatesOwed == 3)
    }

    /// A scripted drill: a second service fails at 4 min, the first stop-trade call fails, an
    /// operation fails at 25 min, the vendor goes silent at 30 min and the second alert resolves
    /// at 50 min. The team's every act is at a known second, so every figure of the scorecard is
    /// known; the trade switch is never called and the drill stays out of the response report.
    @Test(arguments: StoreBackend.all) func aScriptedDrillFromOpeningToScorecardFigureByFigure(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let opened = daemon.clock.now()
        let script = """
            name: Ledger failover under pressure
            injections:
              - {after: 4m, inject: alert_fires, service: card-acquiring, summary: Card declines above 30%, severity: SEV1}
              - {after: 10m, inject: trade_switch_fails}
              - {after: 25m, inject: operation_fails, action: promote replica db-2, result: replica 40 s behind}
              - {after: 30m, inject: vendor_silent, person: vendor.dba}
              - {after: 50m, inject: alert_resolves, service: card-acquiring}
            """
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["runbook": "total-outage", "severity": "SEV2", "script": script]), as: UTF8.self)
        #expect(await daemon.request("POST", "/api/v1/drills", token: "token-li", body: body).status == 201)
        await daemon.runDue()
        /// Moves the clock to `seconds` after the opening, firing what comes due on the way.
        func at(_ seconds: TimeInterval) async {
            await daemon.advance(by: opened.addingTimeInterval(seconds).timeIntervalSince(daemon.clock.now()), inStepsOf: 60)
        }

        await at(90)
        #expect(try await act(daemon, "ack", as: "token-chen") == 200)
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen") == 200)
        await at(120)
        #expect(try await act(daemon, "advance", ["to": "recovering"], as: "token-chen") == 409, "no assessment yet: the gate refuses")
        await at(300)
        #expect(try daemon.engine.store.incident(1).severity == .sev1, "the scripted alert at 4 min raised the drill")
        #expect(try await act(daemon, "assess", ["fault_started_at": UTCTime.string(opened), "scope": "all payments", "spread": "every region",
                                                  "affected_services": ["payments-core", "card-acquiring"], "all_business_affected": true], as: "token-chen") == 200)
        await at(480)
        #expect(try await act(daemon, "update", ["kind": "business", "text": "Merchants told"], as: "token-maria") == 200)
        await at(660)
        #expect(try await act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen") == 200)
        #expect(try await act(daemon, "approve-stop-trading", as: "token-li") == 502, "the scripted failure of the stop-trade call")
        await at(720)
        #expect(try await act(daemon, "approve-stop-trading", as: "token-zhou") == 200)
        await at(1200)
        #expect(try await act(daemon, "update", ["kind": "bulletin", "text": "Trading stopped; failing over"], as: "token-sam") == 200)
        await at(1560)
        #expect(try await act(daemon, "op", ["action": "restored ledger from backup", "result": "writes accepted"], as: "token-zhang") == 200)
        await at(1860)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-vendor").status == 409, "the silent vendor's answer does not count")
        await at(2400)
        #expect(try await act(daemon, "plan", ["root_cause": "ledger primary lost its storage", "steps": "restore and repoint"], as: "token-chen") == 200)
        #expect(try await act(daemon, "approve-plan", as: "token-li") == 200)
        await at(2700)
        #expect(try await act(daemon, "checklist", ["step": 1], as: "token-chen") == 200)
        #expect(try await act(daemon, "checklist", ["step": 2], as: "token-chen") == 200)
        await at(3000)
        #expect(try await act(daemon, "update", ["kind": "bulletin", "text": "Ledger restored; verifying"], as: "token-sam") == 200)
        await at(3300)
        #expect(try await act(daemon, "advance", ["to": "recovering"], as: "token-chen") == 200)
        #expect(try await act(daemon, "service-restored", as: "token-chen") == 200)
        #expect(try await act(daemon, "resume-trading", as: "token-chen") == 200)
        await at(3600)
        #expect(try await act(daemon, "advance", ["to": "reconciling"], as: "token-chen") == 200)
        #expect(try await act(daemon, "reconcile", ["affected_transactions": 12, "discrepancies_found": 0], as: "token-zhang") == 200)
        await at(3900)
        #expect(try await act(daemon, "advance", ["to": "closed", "summary": "Drill done", "follow_ups": ["Practise the vendor fallback"]], as: "token-chen") == 200)

        // The script's events, each at its instant.
        let injected = try daemon.events(.drillInjected).map { "\($0.at.timeIntervalSince(opened)) \($0.detail["injection"] ?? "")" }
        #expect(injected == ["600.0 trade_switch_fails", "1500.0 operation_fails", "1800.0 vendor_silent"])
        #expect(try daemon.events(.alertReceived).map { $0.at.timeIntervalSince(opened) } == [240])
        #expect(try daemon.events(.alertResolved).map { $0.at.timeIntervalSince(opened) } == [3000])
        // The trade switch was never called: one scripted failure, then two simulated calls.
        #expect(!daemon.listener.pages.contains { $0.path.hasPrefix("/platform") })
        #expect(try daemon.events(.tradeSwitchFailed).map { $0.detail["answer"] } == [DrillTradeSwitch.scriptedFailure])
        #expect(try daemon.events(.tradeSwitchSucceeded).map { $0.detail["answer"] } == [DrillTradeSwitch.simulated, DrillTradeSwitch.simulated])

        let card = try TocsinJSON.decoder.decode(DrillScorecard.self, from: await daemon.request("GET", "/api/v1/drills/1/scorecard", token: "token-grace").body)
        #expect(card.title == "Ledger failover under pressure" && card.closedAt == opened.addingTimeInterval(3900))
        // Role: who answered first, after how many seconds, the target, met.
        let responses = Dictionary(uniqueKeysWithValues: card.acknowledgements.map { ($0.role, "\($0.person ?? "nobody") \(Int($0.after ?? -1)) \(Int($0.target)) \($0.met)") })
        #expect(responses == [.commander: "chen.wei 90 300 true", .businessLead: "maria.santos 480 900 true", .coordinator: "sam.okafor 1200 900 false",
                              .executor: "zhang.lei 1560 900 false"], "the silent vendor never answered: \(responses)")

        #expect(card.stages.map(\.stage) == [.assessing, .tradingStopped, .recovering, .reconciling, .closed])
        #expect(card.stages.map(\.after) == [90, 720, 3300, 3600, 3900])
        #expect(card.stages.map(\.by) == ["chen.wei", "zhou.min", "chen.wei", "chen.wei", "chen.wei"])

        let rootCause = try #require(card.deadlines.first)
        #expect(rootCause.name == "root cause and plan" && rootCause.target == 3600 && rootCause.doneAfter == 2400 && rootCause.met)
        #expect(card.deadlines.dropFirst().map(\.name) == ["procedure clock root_cause_and_plan"] && card.deadlines.dropFirst().allSatisfy(\.met))

        let bulletin = try #require(card.updates.first { $0.kind == .bulletin })
        #expect([bulletin.posted, bulletin.onTime, bulletin.late, bulletin.missed] as [Int] == [2, 2, 0, 0], "at 20 and 50 min, each within 30 min of the one before")
        let business = try #require(card.updates.first { $0.kind == .business })
        #expect([business.posted, business.onTime, business.late, business.missed] as [Int] == [1, 1, 0, 0], "at 8 min; the close came 57 min later")

        #expect(card.gatesRefused.map(\.action) == ["advance"] && card.gatesRefused.map(\.by) == ["chen.wei"])
        #expect(card.gatesRefused.map(\.at) == [opened.addingTimeInterval(120)])
        #expect(card.gatesRefused.first?.reason.hasPrefix("To leave assessing, record the assessment") == true)

        #expect(card.checklist.map(\.doneBy) == ["chen.wei", "chen.wei", nil] && card.checklistCompletion == 2.0 / 3)
        let did = Dictionary(uniqueKeysWithValues: card.people.map { ($0.person, $0.did) })
        #expect(Set(did.keys) == ["chen.wei", "maria.santos", "li.na", "zhou.min", "sam.okafor", "zhang.lei"], "\(did.keys)")
        #expect(did["chen.wei"] == ["acknowledged": 1, "stage_changed": 4, "assessment_recorded": 1, "stop_trading_proposed": 1, "plan_recorded": 1,
                                    "checklist_ticked": 2, "service_restored": 1, "resume_trading_requested": 1], "\(did["chen.wei"] ?? [:])")
        #expect(did["sam.okafor"] == ["update_posted": 2] && did["maria.santos"] == ["update_posted": 1])
        #expect(did["zhang.lei"] == ["operation_recorded": 1, "reconciliation_recorded": 1])
        #expect(did["li.na"] == ["stop_trading_approved": 1, "plan_approved": 1] && did["zhou.min"] == ["stop_trading_approved": 1, "stage_changed": 1], "\(did)")

        // The drill is no real incident: the response report over its whole span has none.
        let query = "from=\(UTCTime.string(opened.addingTimeInterval(-60)))&to=\(UTCTime.string(daemon.clock.now().addingTimeInterval(60)))"
        let report = await daemon.request("GET", "/api/v1/reports/response?\(query)", token: "token-grace")
        #expect(report.status == 200 && report.json["incidents"] as? Int == 0, "\(report.json)")
    }
}
