import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// Shift handovers through the HTTP API, on both stores, on a manual clock: written by the
/// outgoing commander, acknowledged by the incoming one, on the system timeline; the incoming
/// person told at the start of the shift; an unacknowledged one paging the incoming person,
/// then the backup.
@Suite struct HandoverFlowTests {
    /// Hourly commander shifts from 2027-01-14 00:00 UTC: at the test clock's start
    /// (2027-01-15 08:00) chen.wei's, from 09:00 priya.raman's; zhou.min is the backup.
    static func daemon(_ backend: StoreBackend) async throws -> TestDaemon {
        try await TestDaemon(backend: backend) { rules, _ in
            rules.roster.rotations["nights"] = Rotation(id: "nights", shiftLength: .hours(1), handoff: TimeOfDay(hour: 0), timeZone: .gmt,
                                                        startDay: DateComponents(year: 2027, month: 1, day: 14), members: ["chen.wei", "priya.raman"])
            rules.roster.roles[.faultAnalyst] = RoleHolders(primary: .rotation("nights"), backup: .person("zhou.min"))
        }
    }

    static let body = #"{"role":"fault_analyst","in_progress":["bank B re-sends its file"],"done":["failover rehearsed"],"to_do":["call bank B at 10:00"],"notes":{"1":"waiting for the bank"}}"#

    /// Duty messages (shift starts, unacknowledged handovers) received, as (path, kind).
    static func duty(_ daemon: TestDaemon) -> [(path: String, kind: String)] {
        daemon.listener.pages.compactMap { page in
            guard let kind = page.json["kind"] as? String, kind == "on_call" || kind == "handover" else { return nil }
            return (page.path, kind)
        }
    }

    /// Opens incident 1 and has chen.wei acknowledge it, so no escalation pages in between.
    static func openIncident(_ daemon: TestDaemon) async {
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
    }

    @Test(arguments: StoreBackend.all) func theOutgoingWritesTheIncomingAcknowledgesAndBothAreRecorded(_ backend: StoreBackend) async throws {
        let daemon = try await Self.daemon(backend)
        defer { daemon.stop() }
        await Self.openIncident(daemon)
        await daemon.advance(by: 50 * 60)

        let draft = await daemon.request("GET", "/api/v1/handovers/draft?role=fault_analyst", token: "token-chen")
        #expect(draft.status == 200, "\(draft.text)")
        #expect(draft.json["incoming"] as? String == "priya.raman" && draft.json["shift_change"] as? String == "2027-01-15T09:00:00.000Z")
        let drafted = draft.json["incidents"] as? [[String: Any]] ?? []
        #expect(drafted.map { $0["id"] as? Int } == [1] && drafted.map { $0["stage"] as? String } == ["reported"], "prefilled from the record")

        #expect(await daemon.request("POST", "/api/v1/handovers", token: "token-priya", body: Self.body).status == 403, "only the outgoing holder writes")
        let written = await daemon.request("POST", "/api/v1/handovers", token: "token-chen", body: Self.body)
        #expect(written.status == 201, "\(written.text)")
        #expect(written.json["status"] as? String == "awaiting_acknowledgement" && written.json["outgoing"] as? String == "chen.wei")
        #expect(written.json["acknowledgement_due"] as? String == "2027-01-15T09:15:00.000Z")
        #expect((written.json["incidents"] as? [[String: Any]])?.first?["note"] as? String == "waiting for the bank")
        let id = try #require(written.json["id"] as? Int)
        #expect(await daemon.request("POST", "/api/v1/handovers", token: "token-chen", body: Self.body).status == 409, "one handover a shift change")

        for token in ["token-chen", "token-zhou", "token-li"] {
            let refused = await daemon.request("POST", "/api/v1/handovers/\(id)/acknowledge", token: token)
            #expect(refused.status == 403, "\(token): \(refused.text)")
        }
        await daemon.advance(by: 5 * 60)
        let acknowledged = await daemon.request("POST", "/api/v1/handovers/\(id)/acknowledge", token: "token-priya")
        #expect(acknowledged.status == 200 && acknowledged.json["acknowledged_at"] as? String == "2027-01-15T08:55:00.000Z", "\(acknowledged.text)")
        #expect(await daemon.request("POST", "/api/v1/handovers/\(id)/acknowledge", token: "token-priya").status == 409)

        // Durable: read back after a restart; acknowledged, so nobody is paged about it.
        await daemon.stopServer()
        try await daemon.startServer()
        let listed = await daemon.request("GET", "/api/v1/handovers", token: "token-sam")
        let handovers = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]])
        #expect(handovers.map { $0["status"] as? String } == ["acknowledged"] && handovers.first?["to_do"] as? [String] == ["call bank B at 10:00"])
        await daemon.advance(by: 40 * 60, inStepsOf: 60)
        #expect(Self.duty(daemon).map(\.kind) == ["on_call"], "the shift start only: \(Self.duty(daemon))")

        let events = try daemon.engine.store.systemEvents(limit: 50).filter { $0.kind.hasPrefix("handover_") }
        #expect(events.map(\.kind) == ["handover_written", "handover_acknowledged"])
        #expect(events.map { $0.detail["by"] } == ["chen.wei", "priya.raman"])
        #expect(events.first?.detail["incidents"] == "#1 [SEV1] reported")
    }

    @Test(arguments: StoreBackend.all) func aMissedHandoverAcknowledgementPagesTheIncomingPersonThenTheBackup(_ backend: StoreBackend) async throws {
        let daemon = try await Self.daemon(backend)
        defer { daemon.stop() }
        await Self.openIncident(daemon)
        await daemon.advance(by: 50 * 60)
        let written = await daemon.request("POST", "/api/v1/handovers", token: "token-chen", body: Self.body)
        #expect(written.status == 201, "\(written.text)")
        let id = try #require(written.json["id"] as? Int)

        // 09:00: priya.raman is told she is on call, with the incident she inherits and the handover.
        await daemon.advance(by: 10 * 60 - 0.001)
        #expect(Self.duty(daemon).isEmpty)
        await daemon.advance(by: 0.001)
        #expect(Self.duty(daemon).map(\.path) == ["/priya.raman"] && Self.duty(daemon).map(\.kind) == ["on_call"])
        let notice = try #require(daemon.listener.pages.first { $0.json["kind"] as? String == "on_call" })
        let inherited = notice.json["incidents"] as? [[String: Any]] ?? []
        #expect(inherited.map { $0["id"] as? Int } == [1] && inherited.map { $0["stage"] as? String } == ["reported"])
        #expect(notice.json["handover_id"] as? Int == id)
        #expect((notice.json["message"] as? String)?.contains("You inherit 1 open incident(s): #1 [SEV1] Payment API 5xx above 20% (reported)") == true,
                "\(notice.json)")
        #expect(notice.idempotencyKey == "shift-fault_analyst-1800003600000/priya.raman/webhook")

        // 09:15 unacknowledged: priya.raman is paged; 09:30: the backup, zhou.min.
        await daemon.advance(by: 15 * 60 - 0.001)
        #expect(Self.duty(daemon).count == 1)
        await daemon.advance(by: 0.001)
        #expect(Self.duty(daemon).map(\.path) == ["/priya.raman", "/priya.raman"] && Self.duty(daemon).last?.kind == "handover")
        await daemon.advance(by: 15 * 60 - 0.001)
        #expect(Self.duty(daemon).count == 2)
        await daemon.advance(by: 0.001)
        #expect(Self.duty(daemon).map(\.path) == ["/priya.raman", "/priya.raman", "/zhou.min"])
        #expect(daemon.listener.duplicates == 0)

        let missed = try daemon.engine.store.systemEvents(limit: 50).filter { $0.kind == "handover_unacknowledged" }
        #expect(missed.map { $0.detail["paged"] } == ["priya.raman", "zhou.min"])
        let sent = try daemon.engine.store.systemEvents(limit: 50).filter { $0.kind == "page_sent" }
        #expect(sent.compactMap { $0.detail["idempotency_key"] }.contains("handover-\(id)/missed-1/zhou.min/webhook"), "delivery is on the system timeline")

        // Acknowledged late, it is recorded all the same and nothing more is paged.
        #expect(await daemon.request("POST", "/api/v1/handovers/\(id)/acknowledge", token: "token-priya").status == 200)
        await daemon.advance(by: 20 * 60, inStepsOf: 60)
        #expect(Self.duty(daemon).filter { $0.kind == "handover" }.count == 2)
    }

    @Test(arguments: StoreBackend.all) func refusedHandoversChangeNothing(_ backend: StoreBackend) async throws {
        let daemon = try await Self.daemon(backend)
        defer { daemon.stop() }
        await Self.openIncident(daemon)
        await daemon.advance(by: 50 * 60)
        let written = await daemon.request("POST", "/api/v1/handovers", token: "token-chen", body: #"{"role":"fault_analyst"}"#)
        let id = try #require(written.json["id"] as? Int)
        let before = try daemon.snapshot()
        let refusals: [(String, String, String, String?, Int)] = [
            ("POST", "/api/v1/handovers", "token-chen", #"{"role":"fault_analyst","colour":"red"}"#, 400),
            ("POST", "/api/v1/handovers", "token-chen", #"{"in_progress":["x"]}"#, 400),
            ("POST", "/api/v1/handovers", "token-chen", #"{"role":"fault_analyst","done":"all of it"}"#, 400),
            ("POST", "/api/v1/handovers", "token-chen", #"{"role":"fault_analyst","to_do":[1,2]}"#, 400),
            ("POST", "/api/v1/handovers", "token-chen", #"{"role":"fault_analyst","notes":{"one":"x"}}"#, 400),
            ("POST", "/api/v1/handovers", "token-chen", "[1]", 400),
            ("POST", "/api/v1/handovers", "token-chen", "{", 400),
            ("POST", "/api/v1/handovers", "token-chen", #"{"role":"fault_analist"}"#, 422),
            ("POST", "/api/v1/handovers", "token-sam", #"{"role":"technical_coordinator"}"#, 422),
            ("POST", "/api/v1/handovers", "token-chen", #"{"role":"fault_analyst"}"#, 409),
            ("POST", "/api/v1/handovers", "token-priya", #"{"role":"fault_analyst"}"#, 403),
            ("POST", "/api/v1/handovers", "token-monitoring", #"{"role":"fault_analyst"}"#, 403),
            ("POST", "/api/v1/handovers/\(id)/acknowledge", "token-chen", nil, 403),
            ("POST", "/api/v1/handovers/99/acknowledge", "token-priya", nil, 404),
            ("POST", "/api/v1/handovers/x/acknowledge", "token-priya", nil, 404),
            ("GET", "/api/v1/handovers/draft", "token-chen", nil, 400),
            ("GET", "/api/v1/handovers/draft?role=fault_analyst", "token-priya", nil, 403),
        ]
        for (method, path, token, body, status) in refusals {
            let answer = await daemon.request(method, path, token: token, body: body)
            #expect(answer.status == status, "\(path) \(body ?? ""): \(answer.text)")
            #expect(answer.headers["content-type"] == "application/problem+json", "\(path) \(body ?? "")")
        }
        #expect(try daemon.snapshot() == before)
    }

    @Test func theHandoverCommandsWriteShowAndAcknowledge() async throws {
        let daemon = try await Self.daemon(.sqlite)
        defer { daemon.stop() }
        await Self.openIncident(daemon)
        await daemon.advance(by: 50 * 60)
        let server = ["--server", daemon.baseURL]
        let write = try await RosterChangeFlowTests.cli(["handover", "write", "fault_analyst", "--in-progress", "bank B re-sends its file",
                                                         "--to-do", "call bank B at 10:00", "--note", "1=waiting for the bank", "--token", "token-chen"] + server)
        #expect(write.status == 0 && write.output.contains("Handover 1 written; priya.raman acknowledges it"), "\(write.output)")
        #expect(write.output.contains("#1 [SEV1] Payment API 5xx above 20% (reported): waiting for the bank"), "\(write.output)")
        let refused = try await RosterChangeFlowTests.cli(["handover", "ack", "1", "--token", "token-chen"] + server)
        #expect(refused.status != 0 && refused.output.contains("HTTP 403"), "\(refused.output)")
        let ack = try await RosterChangeFlowTests.cli(["handover", "ack", "1", "--token", "token-priya"] + server)
        #expect(ack.status == 0 && ack.output.contains("Handover 1 of fault_analyst from chen.wei acknowledged"), "\(ack.output)")
        let list = try await RosterChangeFlowTests.cli(["handover", "list", "--token", "token-sam"] + server)
        #expect(list.output.contains("chen.wei → priya.raman") && list.output.contains("acknowledged 2027-01-15T08:50:00.000Z"), "\(list.output)")
        // The incident role handover keeps its short form.
        let incident = try await RosterChangeFlowTests.cli(["handover", "1", "commander", "priya.raman", "--token", "token-chen"] + server)
        #expect(incident.status == 0, "\(incident.output)")
    }

    @Test func theConsoleOnCallPageWritesAndAcknowledgesAHandover() async throws {
        let daemon = try await Self.daemon(.sqlite)
        defer { daemon.stop() }
        await Self.openIncident(daemon)
        await daemon.advance(by: 50 * 60)
        let chen = ConsoleVisitor(daemon)
        await chen.signIn("token-chen")
        let form = await chen.get("/on-call")
        #expect(form.text.contains("Hand your shift over") && form.text.contains("<option value=\"fault_analyst\">fault_analyst</option>"))
        #expect(await chen.post("/handovers", ["role": "fault_analyst"], csrf: "forged").status == 403)
        #expect(try daemon.engine.store.handovers(changingAfter: nil).isEmpty, "a forged form changes nothing")
        let refused = await chen.post("/handovers", ["role": "fault_analyst", "done": String(repeating: "x", count: 1001)])
        #expect(refused.status == 422 && refused.text.contains("longer than 1000 characters"), "\(refused.text)")

        let written = await chen.post("/handovers", ["role": "fault_analyst", "in_progress": "bank B re-sends its file\n\n<b>late</b>", "to_do": "call bank B"])
        #expect(written.status == 303 && written.headers["location"] == "/on-call#handover-1", "\(written.text)")
        let handover = try daemon.engine.store.handover(1)
        #expect(handover.inProgress == ["bank B re-sends its file", "<b>late</b>"] && handover.toDo == ["call bank B"])

        let priya = ConsoleVisitor(daemon)
        await priya.signIn("token-priya")
        let page = await priya.get("/on-call")
        #expect(page.text.contains("Acknowledge handover 1") && page.text.contains("#1 [SEV1] Payment API 5xx above 20% (reported)"))
        #expect(page.text.contains("&lt;b&gt;late&lt;/b&gt;") && !page.text.contains("<b>late</b>"), "what people type is escaped")
        _ = await chen.get("/on-call")
        #expect(await chen.post("/handovers/1/acknowledge").status == 403)
        let acknowledged = await priya.post("/handovers/1/acknowledge")
        #expect(acknowledged.status == 303 && acknowledged.headers["location"] == "/on-call#handover-1")
        #expect(try daemon.engine.store.handover(1).acknowledgedAt == daemon.clock.now())
    }
}
