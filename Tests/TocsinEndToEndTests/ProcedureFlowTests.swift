import Foundation
import Testing
import TocsinCore

/// The emergency procedure over real HTTP, with the platform's trade switch and every
/// person's webhook answered by a real local receiver, under a manual clock.
@Suite struct ProcedureFlowTests {
    /// Posts an action as `token` and returns the response.
    func act(_ daemon: TestDaemon, _ action: String, _ fields: [String: Any] = [:], as token: String, incident: Int = 1) async throws -> (status: Int?, json: [String: Any]) {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/incidents/\(incident)/\(action)", token: token, body: body)
        return (response.status, response.json)
    }

    func openAssessedIncident(_ daemon: TestDaemon, allBusiness: Bool) async throws {
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen").status == 200)
        let assessed = try await act(daemon, "assess", [
            "fault_started_at": UTCTime.string(daemon.clock.now().addingTimeInterval(-300)), "scope": "all card and wallet payments",
            "spread": "every region", "affected_services": ["payments-core"], "all_business_affected": allBusiness,
        ], as: "token-chen")
        #expect(assessed.status == 200)
    }

    @Test(arguments: StoreBackend.all) func stopTradingCallsThePlatformOnlyAfterASecondPersonApproves(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await openAssessedIncident(daemon, allBusiness: true)
        #expect(try await act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen").status == 200)
        #expect(daemon.listener.pages.filter { $0.path.hasPrefix("/platform") }.isEmpty)

        let selfApproval = try await act(daemon, "approve-stop-trading", as: "token-chen")
        #expect(selfApproval.status == 403)
        let approved = try await act(daemon, "approve-stop-trading", as: "token-li")
        #expect(approved.status == 200)
        #expect(approved.json["stage"] as? String == "trading_stopped")
        let call = try #require(daemon.listener.pages.first { $0.path == "/platform/stop-trading" })
        #expect(call.json["incident_id"] as? Int == 1 && call.json["action"] as? String == "stop" && call.json["what"] as? String == "all trading")
        let kinds = try daemon.engine.store.timeline(1).map(\.kind)
        #expect(kinds.contains(.stopTradingProposed) && kinds.contains(.stopTradingApproved) && kinds.contains(.tradeSwitchSucceeded))
        // The move is the approver's doing, on the timeline and in the notice.
        let move = try #require(try daemon.events(.stageChanged).last)
        #expect(move.detail["to"] == "trading_stopped" && move.actor == "li.na")
        await daemon.runDue()
        let notice = try #require(daemon.listener.pages.last { ($0.json["message"] as? String)?.contains("to trading_stopped") == true })
        #expect((notice.json["message"] as? String)?.hasSuffix("(by li.na).") == true, "\(notice.json)")
    }

    @Test(arguments: StoreBackend.all) func failedStopTradeCallLeavesTheIncidentWhereItWasAndPagesLoudly(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await openAssessedIncident(daemon, allBusiness: true)
        _ = try await act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen")
        await daemon.runDue()
        let before = daemon.notices.count
        daemon.listener.failNext(with: [503])
        let approved = await daemon.request("POST", "/api/v1/incidents/1/approve-stop-trading", token: "token-li")
        #expect(approved.status == 502)
        #expect((approved.json["detail"] as? String)?.contains("stays in assessing") == true)
        #expect(try daemon.engine.store.incident(1).stage == .assessing)
        await daemon.runDue()
        let urgent = daemon.notices.dropFirst(before).filter { $0.subject == "urgent" }.map(\.person)
        #expect(Set(urgent) == ["chen.wei", "li.na", "zhou.min"])
        #expect(try daemon.engine.store.timeline(1).last { $0.kind == .tradeSwitchFailed }?.detail["answer"]?.contains("503") == true)

        let retry = try await act(daemon, "approve-stop-trading", as: "token-zhou")
        #expect(retry.json["stage"] as? String == "trading_stopped")
    }

    @Test(arguments: StoreBackend.all) func updateClocksStartWhenTheIncidentIsTakenNotWhenItOpens(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        // Forty minutes unacknowledged: escalation pages, but nobody is reminded of or paged
        // about an update nobody owns yet.
        await daemon.advance(by: 40 * 60, inStepsOf: 60)
        #expect(!daemon.notices.contains { $0.subject == "update_reminder" || $0.subject == "update_missed" })
        #expect(try daemon.events(.updateMissed).isEmpty && daemon.escalationPages.count > 1)

        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        await daemon.advance(by: 25 * 60 - 1)
        #expect(!daemon.notices.contains { $0.subject == "update_reminder" })
        await daemon.advance(by: 1)
        #expect(daemon.notices.contains { $0 == ("sam.okafor", "update_reminder") }, "the bulletin is due 30 minutes after the acknowledgement")

        // Moving to assessing later does not start the clocks a second time.
        #expect(try await act(daemon, "advance", ["to": "assessing"], as: "token-chen").status == 200)
        #expect(try daemon.engine.store.timers(of: 1).filter { $0.kind == .updateDue && $0.subject == "bulletin" }.count == 1)
    }

    @Test(arguments: StoreBackend.all) func missedBulletinPagesTheBackupThenLeadershipAndAPostedOneRestartsTheClock(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")

        await daemon.advance(by: 25 * 60 - 1)
        #expect(!daemon.notices.contains { $0.subject == "update_reminder" })
        await daemon.advance(by: 1)
        #expect(daemon.notices.contains { $0 == ("sam.okafor", "update_reminder") })
        await daemon.advance(by: 5 * 60)
        let missed = daemon.notices.filter { $0.subject == "update_missed" }.map(\.person)
        #expect(Set(missed) == ["liu.yang", "sam.okafor"], "the coordinator's backup is paged when the bulletin is missed")
        await daemon.advance(by: 10 * 60)
        let escalated = daemon.notices.filter { $0.subject == "update_missed" }.map(\.person)
        #expect(escalated.contains("li.na") && escalated.contains("zhou.min"), "leadership is paged after the grace")
        let timeline = try daemon.engine.store.timeline(1)
        #expect(timeline.contains { $0.kind == .updateMissed && $0.detail["kind"] == "bulletin" })
        #expect(timeline.contains { $0.kind == .updateEscalated && $0.detail["kind"] == "bulletin" })

        // A bulletin posted now is due again 30 minutes later; nothing is missed before that.
        #expect(try await act(daemon, "update", ["kind": "bulletin", "text": "Failover to site B at 40%"], as: "token-sam").status == 200)
        let missedSoFar = try daemon.engine.store.timeline(1).filter { $0.kind == .updateMissed && $0.detail["kind"] == "bulletin" }.count
        await daemon.advance(by: 30 * 60 - 1)
        #expect(try daemon.engine.store.timeline(1).filter { $0.kind == .updateMissed && $0.detail["kind"] == "bulletin" }.count == missedSoFar)
        await daemon.advance(by: 1)
        #expect(try daemon.engine.store.timeline(1).filter { $0.kind == .updateMissed && $0.detail["kind"] == "bulletin" }.count == missedSoFar + 1)
    }

    @Test(arguments: StoreBackend.all) func rootCauseDeadlineBreachPagesLeadershipAndAPlanInTimeDoesNot(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await openAssessedIncident(daemon, allBusiness: false)
        await daemon.advance(by: 3600 - 1)
        #expect(!daemon.notices.contains { $0.subject == "deadline_breached" })
        await daemon.advance(by: 1)
        #expect(Set(daemon.notices.filter { $0.subject == "deadline_breached" }.map(\.person)) == ["li.na", "zhou.min", "chen.wei"])
        #expect(try daemon.engine.store.timeline(1).contains { $0.kind == .deadlineBreached })

        let other = try await TestDaemon(backend: backend)
        defer { other.stop() }
        try await openAssessedIncident(other, allBusiness: false)
        await other.advance(by: 1800)
        #expect(try await act(other, "plan", ["root_cause": "expired TLS certificate", "steps": "renew and reload"], as: "token-chen").status == 200)
        await other.advance(by: 3600)
        #expect(!other.notices.contains { $0.subject == "deadline_breached" })
        #expect(try other.engine.store.timeline(1).contains { $0.kind == .deadlineMet })
    }

    @Test(arguments: StoreBackend.all) func badProcedureRequestsAreRefusedAndChangeNothing(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let before = try daemon.snapshot()
        let cases: [(String, String, String, Int, String)] = [
            ("advance", "{\"to\":\"closed\"}", "token-chen", 409, "cannot move to closed"),
            ("advance", "{\"to\":\"finished\"}", "token-chen", 400, "expected one of"),
            ("advance", "{\"to\":\"assessing\"}", "token-zhang", 403, "may not advance"),
            ("advance", "{\"to\":\"assessing\",\"force\":true}", "token-chen", 400, "Unknown field \"force\""),
            ("advance", "{\"to\":", "token-chen", 400, "not valid JSON"),
            ("advance", "{\"to\":\"assessing\",\"to\":\"closed\"}", "token-chen", 400, "the key \"to\" appears twice"),
            ("explode", "{}", "token-chen", 404, "not an incident action"),
            ("advance", "{\"to\":\"assessing\"}", "token-monitoring", 403, "needs a person"),
            ("checklist", "{\"step\":\"two\"}", "token-chen", 400, "whole number"),
            ("reconcile", "{\"discrepancies_found\":2}", "token-chen", 409, "reconciling"),
        ]
        for (action, body, token, status, detail) in cases {
            let response = await daemon.request("POST", "/api/v1/incidents/1/\(action)", token: token, body: body)
            #expect(response.status == status, "\(action) \(body)")
            #expect((response.json["detail"] as? String)?.contains(detail) == true, "\(action): \(response.json["detail"] ?? "")")
        }
        let missing = await daemon.request("POST", "/api/v1/incidents/42/advance", token: "token-chen", body: "{\"to\":\"assessing\"}")
        #expect(missing.status == 404)
        #expect(try daemon.snapshot() == before)
    }
}
