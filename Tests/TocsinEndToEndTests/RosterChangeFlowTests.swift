import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// Overrides, stand-ins and swaps through the HTTP API, on both stores, on a manual clock:
/// in force at once for the steps not yet fired, kept across a restart, on the system timeline.
@Suite struct RosterChangeFlowTests {
    /// Runs `tocsin` on a thread of its own: waiting for it on one of the few threads that run
    /// tasks would stall every in-process server meanwhile.
    static func cli(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await TocsinBuild.cli(arguments)
    }

    static func json(_ fields: [String: String]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test(arguments: StoreBackend.all) func anOverrideWhileAnIncidentEscalatesChangesTheNextStepNotTheOneFired(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei"])

        await daemon.advance(by: 120)
        let until = UTCTime.string(daemon.clock.now().addingTimeInterval(3600))
        // Leadership puts zhou.min on the commander's backup, and sam.okafor on its primary.
        let backup = await daemon.request("POST", "/api/v1/roster/overrides", token: "token-li",
                                          body: Self.json(["role": "fault_analyst", "holder": "backup", "person": "zhou.min", "end": until, "reason": "priya is ill"]))
        #expect(backup.status == 201, "\(backup.text)")
        #expect(backup.json["status"] as? String == "in_force" && backup.json["requested_by"] as? String == "li.na")
        let primary = await daemon.request("POST", "/api/v1/roster/overrides", token: "token-li",
                                           body: Self.json(["role": "fault_analyst", "person": "sam.okafor", "end": until]))
        #expect(primary.status == 201, "\(primary.text)")

        await daemon.advance(by: 179.999)
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei"])
        await daemon.advance(by: 0.001)
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei", "/zhou.min"], "the step due now pages the override; the step fired is not sent again")
        #expect(daemon.listener.duplicates == 0)

        let events = try daemon.engine.store.systemEvents(limit: 10).filter { $0.kind == "roster_override" }
        #expect(events.map { $0.detail["by"] } == ["li.na", "li.na"])
        #expect(events.first?.detail["what"] == "zhou.min holds fault_analyst.backup" && events.first?.detail["reason"] == "priya is ill")
    }

    @Test(arguments: StoreBackend.all) func aStandInIsPagedInsteadSurvivesARestartAndCanBeWithdrawn(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let until = UTCTime.string(daemon.clock.now().addingTimeInterval(8 * 3600))
        let made = await daemon.request("POST", "/api/v1/roster/stand-ins", token: "token-chen", body: Self.json(["stand_in": "priya.raman", "end": until]))
        #expect(made.status == 201, "\(made.text)")
        let id = try #require(made.json["id"] as? Int)

        // Durable: a restarted daemon reads it back.
        await daemon.stopServer()
        try await daemon.startServer()
        let oncall = await daemon.request("GET", "/api/v1/oncall", token: "token-sam")
        let holdings = try #require(try JSONSerialization.jsonObject(with: oncall.body) as? [[String: Any]])
        let commander = try #require(holdings.first { $0["role"] as? String == "fault_analyst" && $0["holder"] as? String == "primary" })
        #expect(commander["person"] as? String == "priya.raman" && commander["via"] as? [String] == ["stand-in for chen.wei"])

        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.escalationPages.map(\.path) == ["/priya.raman"])

        // Someone else may not withdraw it; chen.wei may, and the next step is his again.
        #expect(await daemon.request("POST", "/api/v1/roster/changes/\(id)/cancel", token: "token-zhang").status == 403)
        let withdrawn = await daemon.request("POST", "/api/v1/roster/changes/\(id)/cancel", token: "token-chen")
        #expect(withdrawn.status == 200 && withdrawn.json["status"] as? String == "cancelled" && withdrawn.json["cancelled_by"] as? String == "chen.wei")
        let listed = await daemon.request("GET", "/api/v1/roster/changes", token: "token-sam")
        #expect((try JSONSerialization.jsonObject(with: listed.body) as? [Any])?.isEmpty == true, "\(listed.text)")
        #expect(try daemon.engine.store.systemEvents(limit: 10).map(\.kind).suffix(2) == ["roster_stand_in", "roster_change_cancelled"])
    }

    @Test(arguments: StoreBackend.all) func aSwapIsRefusedUntilTheOtherPersonAccepts(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            // Hourly shifts from 2027-01-14 00:00 UTC: at the test clock's start (2027-01-15 08:00) chen.wei's shift, then priya.raman's.
            rules.roster.rotations["nights"] = Rotation(id: "nights", shiftLength: .hours(1), handoff: TimeOfDay(hour: 0), timeZone: .gmt,
                                                        startDay: DateComponents(year: 2027, month: 1, day: 14), members: ["chen.wei", "priya.raman"])
            rules.roster.roles[.faultAnalyst] = RoleHolders(primary: .rotation("nights"), backup: .person("zhou.min"))
        }
        defer { daemon.stop() }
        let now = daemon.clock.now()
        func commander(at instant: Date) async throws -> String? {
            let answer = await daemon.request("GET", "/api/v1/oncall?at=\(UTCTime.string(instant))", token: "token-sam")
            let holdings = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [[String: Any]])
            return holdings.first { $0["role"] as? String == "fault_analyst" && $0["holder"] as? String == "primary" }?["person"] as? String
        }
        #expect(try await commander(at: now) == "chen.wei")
        let proposed = await daemon.request("POST", "/api/v1/roster/swaps", token: "token-chen", body: Self.json([
            "rotation": "nights", "shift_at": UTCTime.string(now), "with": "priya.raman", "their_shift_at": UTCTime.string(now.addingTimeInterval(3600)),
        ]))
        #expect(proposed.status == 201 && proposed.json["status"] as? String == "proposed", "\(proposed.text)")
        let id = try #require(proposed.json["id"] as? Int)
        #expect(try await commander(at: now) == "chen.wei", "proposed is not agreed")

        for token in ["token-chen", "token-li", "token-sam"] {
            let refused = await daemon.request("POST", "/api/v1/roster/changes/\(id)/accept", token: token)
            #expect(refused.status == 403, "\(token): \(refused.text)")
        }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "before", startsAt: now))
        await daemon.runDue()
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei"])

        let accepted = await daemon.request("POST", "/api/v1/roster/changes/\(id)/accept", token: "token-priya")
        #expect(accepted.status == 200 && accepted.json["status"] as? String == "in_force" && accepted.json["accepted_by"] as? String == "priya.raman")
        #expect(try await commander(at: now) == "priya.raman")
        #expect(try await commander(at: now.addingTimeInterval(3600)) == "chen.wei")
        #expect(await daemon.request("POST", "/api/v1/roster/changes/\(id)/accept", token: "token-priya").status == 409)
        #expect(try daemon.engine.store.systemEvents(limit: 10).map(\.kind).filter { $0.hasPrefix("roster_") } == ["roster_swap_proposed", "roster_swap_accepted"])
    }

    @Test(arguments: StoreBackend.all) func refusedRosterChangesChangeNothing(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let until = UTCTime.string(daemon.clock.now().addingTimeInterval(3600))
        let before = try daemon.snapshot()
        let refusals: [(String, String, String?, Int)] = [
            ("/api/v1/roster/overrides", "token-li", #"{"role":"fault_analyst","person":"zhou.min","end":"\#(until)","colour":"red"}"#, 400),
            ("/api/v1/roster/overrides", "token-li", #"{"role":"fault_analyst","rotation":"x","person":"zhou.min","end":"\#(until)"}"#, 400),
            ("/api/v1/roster/overrides", "token-li", #"{"role":"fault_analyst","person":"zhou.min","end":"soon"}"#, 400),
            ("/api/v1/roster/overrides", "token-li", #"{"role":"fault_analist","person":"zhou.min","end":"\#(until)"}"#, 422),
            ("/api/v1/roster/overrides", "token-zhang", #"{"role":"fault_analyst","person":"zhou.min","end":"\#(until)"}"#, 403),
            ("/api/v1/roster/overrides", "token-monitoring", #"{"role":"fault_analyst","end":"\#(until)"}"#, 403),
            ("/api/v1/roster/stand-ins", "token-chen", #"{"stand_in":"nobody","end":"\#(until)"}"#, 422),
            ("/api/v1/roster/stand-ins", "token-chen", #"{"end":"\#(until)"}"#, 400),
            ("/api/v1/roster/stand-ins", "token-chen", "[1]", 400),
            ("/api/v1/roster/swaps", "token-chen", #"{"rotation":"nights","shift_at":"\#(until)","with":"priya.raman","their_shift_at":"\#(until)"}"#, 422),
            ("/api/v1/roster/changes/7/accept", "token-chen", nil, 404),
            ("/api/v1/roster/changes/x/cancel", "token-chen", nil, 404),
        ]
        for (path, token, body, status) in refusals {
            let answer = await daemon.request("POST", path, token: token, body: body)
            #expect(answer.status == status, "\(path) \(body ?? ""): \(answer.text)")
            #expect(answer.headers["content-type"] == "application/problem+json", "\(path)")
        }
        #expect(try daemon.snapshot() == before)
    }

    @Test func coveringForSomeoneIsOneCommandAndOncallShowsIt() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        // The daemon's clock is the test's; the commands are told the times outright.
        let now = daemon.clock.now()
        let at = UTCTime.string(now.addingTimeInterval(60))
        let server = ["--server", daemon.baseURL]
        let config = TocsinBuild.repository.appendingPathComponent("Deploy/tocsin.yaml").path

        let covered = try await Self.cli(["roster", "stand-in", "--by", "priya.raman", "--until", UTCTime.string(now.addingTimeInterval(8 * 3600)),
                                           "--reason", "fever", "--token", "token-chen"] + server)
        #expect(covered.status == 0 && covered.output.contains("In force as change 1") && covered.output.contains("priya.raman stands in for chen.wei"),
                "\(covered.output)")
        let oncall = try await Self.cli(["oncall", "fault_analyst", "--config", config, "--at", at, "--token", "token-sam"] + server)
        let primary = try #require(oncall.output.split(separator: "\n").first { $0.contains("primary") })
        #expect(primary.contains("priya.raman") && primary.contains("stand-in for chen.wei"), "\(oncall.output)")
        #expect(oncall.output.contains("With 1 roster change from tocsind"))
        let offline = try await Self.cli(["oncall", "fault_analyst", "--config", config, "--at", at] + server)
        #expect(offline.output.split(separator: "\n").first { $0.contains("primary") }?.contains("chen.wei") == true)
        #expect(offline.output.contains("Contacts/ only"))

        let check = try await Self.cli(["check", "--config", config, "--token", "token-sam"] + server)
        #expect(check.output.contains("With 1 roster change from tocsind"), "\(check.output)")

        let listed = try await Self.cli(["roster", "--token", "token-sam"] + server)
        #expect(listed.output.contains("in_force") && listed.output.contains("chen.wei"), "\(listed.output)")
        let refused = try await Self.cli(["roster", "cancel", "1", "--token", "token-zhang"] + server)
        #expect(refused.status != 0 && refused.output.contains("HTTP 403"), "\(refused.output)")
        let swap = try await Self.cli(["roster", "swap", "nights", "--mine", at, "--with", "li.na", "--theirs", at, "--token", "token-chen"] + server)
        #expect(swap.status != 0 && swap.output.contains("no rotation \"nights\""), "\(swap.output)")
    }
}
