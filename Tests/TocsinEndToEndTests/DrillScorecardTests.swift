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
}
