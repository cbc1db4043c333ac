import Foundation
import Testing
import TocsinCore

/// Regulatory reports over real HTTP under a manual clock, on both stores: the report upward
/// and DORA's reports remind their owner and page leadership when missed, drafts fill in from
/// the record, submissions and corrections land on the hash-chained timeline, and the
/// classification helper reads the recorded figures.
@Suite struct RegulatoryReportTests {
    /// Posts `fields` to `path` as `token`, then lets what came due fire.
    func act(_ daemon: TestDaemon, _ path: String, _ fields: [String: Any] = [:], as token: String) async throws -> (status: Int?, json: [String: Any], text: String) {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", path, token: token, body: body)
        await daemon.runDue()
        return (response.status, response.json, response.text)
    }

    func draft(_ daemon: TestDaemon, _ regime: String, _ report: String) async throws -> [String: Any] {
        let response = await daemon.request("GET", "/api/v1/incidents/1/regulatory/\(regime)/\(report)/draft?format=json", token: "token-sam")
        #expect(response.status == 200, "\(response.text)")
        return response.json
    }

    func dora(_ daemon: TestDaemon) async throws -> [String: Any] {
        let response = await daemon.request("GET", "/api/v1/incidents/1/regulatory", token: "token-sam")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [[String: Any]])
        return try #require(list.first { $0["regime"] as? String == "dora" })
    }

    @Test(arguments: StoreBackend.all) func theReportUpwardRemindsTheCoordinatorThenPagesLeadershipWhenMissed(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")

        // Due 4 hours after classification; the coordinator is reminded 5 minutes before.
        await daemon.advance(by: 4 * 3600 - 5 * 60 - 1, inStepsOf: 1800)
        let reminder = { daemon.listener.pages.filter { ($0.json["message"] as? String)?.contains("regulatory update") == true } }
        #expect(reminder().isEmpty)
        await daemon.advance(by: 1)
        #expect(reminder().map { $0.json["person"] as? String } == ["sam.okafor"])
        #expect(reminder().first?.json["subject"] as? String == "update_reminder")

        let missed = { daemon.listener.pages.filter { $0.json["subject"] as? String == "update_missed" && ($0.json["message"] as? String)?.contains("regulatory") == true } }
        await daemon.advance(by: 5 * 60 - 1)
        #expect(missed().isEmpty)
        await daemon.advance(by: 1)
        #expect(Set(missed().compactMap { $0.json["person"] as? String }) == ["li.na", "zhou.min", "sam.okafor"])
        #expect(try daemon.events(.updateMissed).contains { $0.detail["kind"] == "regulatory" })
        // The standing says so.
        let standing = await daemon.request("GET", "/api/v1/incidents/1/regulatory", token: "token-sam")
        #expect(standing.text.contains("\"state\" : \"overdue\""), "\(standing.text)")
    }

    @Test(arguments: StoreBackend.all) func doraFromFiguresToDeclarationToACorrectedSubmission(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.procedure.regimes = [.dora, .nis2] }
        defer { daemon.stop() }
        let start = daemon.clock.now()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        await daemon.runDue()
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        #expect(try await act(daemon, "/api/v1/incidents/1/advance", ["to": "assessing"], as: "token-chen").status == 200)

        let empty = try await draft(daemon, "dora", "intermediate")
        let missingAtFirst = try #require(empty["missing"] as? [String])
        #expect(["scope", "affected_services", "affected_transactions", "amount", "channels", "declared_at", "previous_reference"].allSatisfy(missingAtFirst.contains),
                "\(missingAtFirst)")

        // The figures come in through the procedure, as they always do.
        let steps: [(String, [String: Any], String)] = [
            ("assess", ["fault_started_at": UTCTime.string(start.addingTimeInterval(-300)), "scope": "<img src=x onerror=alert(1)> card payments in the EU",
                        "spread": "stable", "affected_services": ["payments-core"], "all_business_affected": false, "initial_cause": "HSM cluster down"], "token-chen"),
            ("plan", ["root_cause": "HSM firmware", "steps": "roll back firmware"], "token-chen"),
            ("approve-plan", [:], "token-li"),
            ("advance", ["to": "recovering"], "token-chen"),
            ("op", ["action": "rolled back HSM firmware", "result": "signing works"], "token-zhang"),
            ("service-restored", [:], "token-chen"),
            ("advance", ["to": "reconciling"], "token-chen"),
            ("reconcile", ["affected_transactions": 40, "amount": "100.00", "currency": "EUR", "channels": ["SEPA"]], "token-zhang"),
        ]
        for (action, fields, token) in steps {
            let answer = try await act(daemon, "/api/v1/incidents/1/\(action)", fields, as: token)
            #expect(answer.status == 200, "\(action): \(answer.text)")
        }
        // Below DORA's thresholds: not major, and why.
        let below = try #require(try await dora(daemon)["suggestion"] as? [String: Any])
        #expect(below["major"] as? Bool == false)
        #expect((below["not_met"] as? [String])?.contains("40 transactions affected, fewer than 100000") == true, "\(below)")

        #expect(try await act(daemon, "/api/v1/incidents/1/reconcile", ["affected_transactions": 150_000, "banks": ["Deutsche Bank"]], as: "token-zhang").status == 200)
        let above = try #require(try await dora(daemon)["suggestion"] as? [String: Any])
        #expect(above["major"] as? Bool == true)
        #expect(Set(above["met"] as? [String] ?? []) == ["150000 transactions affected, at least 100000", "2 channels and banks touched, at least 2"], "\(above)")

        let filled = try await draft(daemon, "dora", "intermediate")
        let missingNow = try #require(filled["missing"] as? [String])
        #expect(missingNow.count < missingAtFirst.count)
        #expect(!missingNow.contains("affected_transactions") && !missingNow.contains("scope") && missingNow.contains("declared_at"))
        let fields = filled["fields"] as? [[String: Any]] ?? []
        #expect(fields.first { $0["field"] as? String == "affected_transactions" }?["value"] as? String == "150000")
        #expect(fields.first { $0["field"] as? String == "banks" }?["value"] as? String == "Deutsche Bank")
        let html = await daemon.request("GET", "/api/v1/incidents/1/regulatory/dora/intermediate/draft?format=html", token: "token-sam")
        #expect(html.status == 200 && html.text.contains("&lt;img src=x onerror=alert(1)&gt;") && !html.text.contains("<img"))
        let markdown = await daemon.request("GET", "/api/v1/incidents/1/regulatory/dora/intermediate/draft", token: "token-sam")
        #expect(markdown.text.contains("| Affected transactions | 150000 |") && markdown.text.contains("Still missing: "))
        // Drafting writes nothing.
        let before = try daemon.snapshot()
        _ = await daemon.request("GET", "/api/v1/incidents/1/regulatory/dora/final/draft?format=json", token: "token-sam")
        #expect(try daemon.snapshot() == before)

        // Declared major: the initial notification is due 4 hours later; the coordinator is reminded an hour before.
        let declaredAt = daemon.clock.now()
        #expect(try await act(daemon, "/api/v1/incidents/1/regulatory/dora/declare", ["reason": "150000 transactions and two channels"], as: "token-chen").status == 200)
        await daemon.advance(by: 3 * 3600 - 1, inStepsOf: 1800)
        #expect(!daemon.notices.contains { $0.subject == "report_reminder" })
        await daemon.advance(by: 1)
        #expect(daemon.notices.filter { $0.subject == "report_reminder" }.map(\.person) == ["sam.okafor"])
        await daemon.advance(by: 3600 - 1)
        #expect(!daemon.notices.contains { $0.subject == "report_missed" })
        await daemon.advance(by: 1)
        #expect(Set(daemon.notices.filter { $0.subject == "report_missed" }.map(\.person)) == ["li.na", "zhou.min", "sam.okafor"])
        #expect(try daemon.events(.reportMissed).map { $0.at } == [declaredAt.addingTimeInterval(4 * 3600)])

        // Submitted late, then corrected: both on the timeline, the chain intact.
        let submitted = try await act(daemon, "/api/v1/incidents/1/regulatory/dora/initial/submissions", ["reference": "BAFIN-2026-0042"], as: "token-sam")
        #expect(submitted.status == 201, "\(submitted.text)")
        let corrected = try await act(daemon, "/api/v1/incidents/1/regulatory/dora/initial/submissions",
                                      ["reference": "BAFIN-2026-0042-1", "note": "bank name corrected"], as: "token-sam")
        #expect(corrected.status == 201)
        let submissions = try daemon.events(.reportSubmitted) + daemon.events(.reportCorrected)
        #expect(submissions.map { $0.detail["reference"] } == ["BAFIN-2026-0042", "BAFIN-2026-0042-1"])
        #expect(submissions.map { $0.detail["version"] } == ["1", "2"] && submissions.allSatisfy { $0.actor == "sam.okafor" })
        #expect(submissions.last?.detail["corrects"] == "BAFIN-2026-0042")
        #expect(try daemon.engine.store.verifyTimelines().broken.isEmpty)
        let initial = (try await dora(daemon)["reports"] as? [[String: Any]])?.first { $0["report"] as? String == "initial" }
        #expect(initial?["state"] as? String == "submitted late")

        // The intermediate report is due 72 hours after the initial one, and its clock outlives the incident's closing.
        let sentAt = daemon.clock.now()
        #expect(try await act(daemon, "/api/v1/incidents/1/advance", ["to": "closed", "summary": "HSM firmware rolled back", "follow_ups": ["Stage firmware"]],
                              as: "token-chen").status == 200)
        let due = try daemon.engine.store.timers(of: 1).filter { $0.subject == "regulatory.dora.intermediate" && $0.kind == .updateDue }.map(\.dueAt)
        #expect(due == [sentAt.addingTimeInterval(72 * 3600)])

        // Bad input is refused with a problem and changes nothing.
        let unchanged = try daemon.snapshot()
        let refusals: [(String, String, [String: Any], Int)] = [
            ("/api/v1/incidents/1/regulatory/dora/intermediate/submissions", "token-sam", [:], 400),
            ("/api/v1/incidents/1/regulatory/gdpr/initial/submissions", "token-sam", ["reference": "X"], 404),
            ("/api/v1/incidents/1/regulatory/dora/intermediate/submissions", "token-zhang", ["reference": "X"], 403),
            ("/api/v1/incidents/1/regulatory/dora/declare", "token-li", ["reason": "again"], 422),
            ("/api/v1/incidents/1/regulatory/dora/intermediate/submissions", "token-sam", ["reference": "X", "submitted_at": "tomorrow"], 400),
        ]
        for (path, token, fields, status) in refusals {
            let response = await daemon.request("POST", path, token: token, body: String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self))
            #expect(response.status == status, "\(path) as \(token): \(response.text)")
            #expect(response.headers["content-type"]?.hasPrefix("application/problem+json") == true)
        }
        #expect(try daemon.snapshot() == unchanged)
    }
}
