import Foundation
import Testing
import TocsinCore

/// Every bad request gets a problem document that says what is wrong, and changes nothing.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var token: String?
        var body: String
        var status: Int
        var detail: String
        var testDescription: String { name }
    }

    static let start = "2026-11-21T10:00:00Z"
    static let cases: [Case] = [
        Case(name: "malformed JSON", token: "token-monitoring", body: "{\"source\": ", status: 400, detail: "not valid JSON"),
        Case(name: "missing field", token: "token-monitoring",
             body: "{\"source\":\"p\",\"dedup_key\":\"k\",\"service\":\"payments-core\",\"starts_at\":\"\(start)\"}", status: 400, detail: "Missing field summary"),
        Case(name: "unknown field", token: "token-monitoring",
             body: "{\"source\":\"p\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"starts_at\":\"\(start)\",\"sevrity\":\"high\"}", status: 400, detail: "Unknown field \"sevrity\""),
        Case(name: "a key given twice", token: "token-monitoring",
             body: "{\"source\":\"x\",\"source\":\"y\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"starts_at\":\"\(start)\"}",
             status: 400, detail: "the key \"source\" appears twice at byte 15"),
        Case(name: "a label given twice among many", token: "token-monitoring",
             body: "{\"source\":\"x\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"starts_at\":\"\(start)\",\"labels\":{"
                 + (1...12).map { "\"l\($0)\":\"v\"" }.joined(separator: ",") + ",\"l3\":\"w\"}}",
             status: 400, detail: "the key \"l3\" appears twice"),
        Case(name: "a null status", token: "token-monitoring",
             body: "{\"source\":\"p\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"status\":null}",
             status: 400, detail: "Field status is null; give it a value."),
        Case(name: "null labels", token: "token-monitoring",
             body: "[{\"source\":\"p\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"labels\":null}]",
             status: 400, detail: "Field [0].labels is null; give it a value."),
        Case(name: "wrong type", token: "token-monitoring",
             body: "{\"source\":\"p\",\"dedup_key\":42,\"summary\":\"s\",\"service\":\"payments-core\",\"starts_at\":\"\(start)\"}", status: 400, detail: "dedup_key"),
        Case(name: "bad status", token: "token-monitoring",
             body: "{\"source\":\"p\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"status\":\"burning\",\"starts_at\":\"\(start)\"}", status: 400, detail: "\"burning\""),
        Case(name: "bad time", token: "token-monitoring",
             body: "{\"source\":\"p\",\"dedup_key\":\"k\",\"summary\":\"s\",\"service\":\"payments-core\",\"starts_at\":\"yesterday\"}", status: 400, detail: "ISO 8601"),
        Case(name: "one bad alert in a batch refuses the whole batch", token: "token-monitoring",
             body: "[{\"source\":\"p\",\"dedup_key\":\"k1\",\"summary\":\"s\",\"service\":\"payments-core\",\"starts_at\":\"\(start)\"},{\"source\":\"p\"}]", status: 400, detail: "[1]"),
        Case(name: "empty batch", token: "token-monitoring", body: "[]", status: 400, detail: "empty"),
        Case(name: "no token", token: nil, body: "{}", status: 401, detail: "Authorization"),
        Case(name: "bad token", token: "not-a-real-token", body: "{}", status: 401, detail: "not one this server knows"),
        Case(name: "oversized body", token: "token-monitoring", body: "[" + String(repeating: " ", count: 70 * 1024) + "]", status: 413, detail: "larger than"),
    ]

    /// The snapshot the refusals are checked against does see a change when there is one.
    @Test(arguments: StoreBackend.all) func anAcceptedAlertChangesTheSnapshot(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        #expect(await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now())).status == 202)
        let after = try daemon.snapshot()
        #expect(after != before && after.contains("pay-5xx") && after.contains("Payment API 5xx above 20%"))
    }

    @Test(arguments: cases, StoreBackend.all)
    func badAlertIsRefusedWithAProblemAndChangesNothing(_ item: Case, _ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let response = await daemon.request("POST", "/api/v1/alerts", token: item.token, body: item.body)
        #expect(response.status == item.status, "error: \(response.error ?? "-")")
        #expect(response.json["status"] as? Int == item.status)
        #expect((response.json["detail"] as? String)?.contains(item.detail) == true, "detail was: \(response.json["detail"] ?? response.text)")
        #expect(try daemon.snapshot() == before)
    }

    @Test(arguments: StoreBackend.all) func acknowledgingNeedsAPersonAndAnExistingIncident(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let before = try daemon.snapshot()
        let byIntegration = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-monitoring")
        #expect(byIntegration.status == 403)
        #expect((byIntegration.json["detail"] as? String)?.contains("acknowledging needs a person's token") == true)
        // Every refusal names what was refused.
        let note = await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-monitoring", body: #"{"text":"from a script"}"#)
        #expect(note.status == 403)
        #expect((note.json["detail"] as? String)?.contains("`note` needs a person's token") == true, "\(note.text)")
        let missing = await daemon.request("POST", "/api/v1/incidents/99/ack", token: "token-chen")
        #expect(missing.status == 404)
        #expect((missing.json["detail"] as? String)?.contains("no incident 99") == true)
        let notANumber = await daemon.request("POST", "/api/v1/incidents/abc/ack", token: "token-chen")
        #expect(notANumber.status == 404)
        let unknownRoute = await daemon.request("GET", "/api/v1/nothing", token: "token-chen")
        #expect(unknownRoute.status == 404)
        #expect(try daemon.snapshot() == before)
    }

    @Test func aMethodAPathDoesNotAnswerGets405NamingTheMethodsItDoes() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let before = try daemon.snapshot()
        // The router prefers a fixed segment to a parameter: /timeline is GET only although
        // /api/v1/incidents/{id}/{action} takes POST; /ack is POST only.
        for (method, path, allowed) in [("DELETE", "/api/v1/incidents/1/timeline", "GET"), ("GET", "/api/v1/incidents/1/ack", "POST"),
                                        ("PUT", "/api/v1/silences/1", "DELETE, GET"), ("POST", "/metrics", "GET"),
                                        ("GET", "/api/v1/incidents/1/advance", "POST")] {
            let answer = await daemon.request(method, path, token: "token-chen", body: "{}")
            #expect(answer.status == 405, "\(method) \(path)")
            #expect(answer.headers["allow"] == allowed, "\(method) \(path)")
            #expect(answer.headers["content-type"] == "application/problem+json")
            #expect((answer.json["detail"] as? String)?.contains("answers \(allowed), not \(method)") == true, "\(answer.text)")
        }
        #expect(await daemon.request("GET", "/api/v1/incidents/1/timeline/more", token: "token-chen").status == 404)
        #expect(try daemon.snapshot() == before)
    }
}
