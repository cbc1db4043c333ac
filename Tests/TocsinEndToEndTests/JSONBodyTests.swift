import Foundation
import Testing
import TocsinCore
import TocsinPager

/// Alert bodies are read as strict JSON on every ingest endpoint: what a sender escaped
/// arrives as it meant it, and a body that is not JSON, or not the expected shape, is refused
/// with what is wrong and where, leaving the database as it was.
@Suite struct JSONBodyTests {
    static let start = "2026-11-21T10:00:00Z"
    static let alert = #"{"source":"p","dedup_key":"k","summary":"s","service":"payments-core","starts_at":"\#(start)"}"#
    static let webhook = "/api/v1/integrations/alertmanager"

    @Test(arguments: StoreBackend.all) func escapedTextArrivesAsTheSenderMeantIt(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let own = #"""
            {"source":"p","dedup_key":"disk\u002dfull","summary":"Disk \"/var\" full\nsee runbook","service":"payments-core",
             "labels":{"path":"C:\\logs\/app","flame":"\ud83d\udd25 hot","accent":"caf\u00E9 café","tab":"a\tb"},"starts_at":"\#(Self.start)"}
            """#
        #expect(await daemon.postAlert(own).status == 202)
        let v2 = #"[{"labels":{"alertname":"Disk\ud83d\udcbeFull","note":"\"quoted\" \\ back\/slash","service":"payments-core"}}]"#
        #expect(await daemon.request("POST", "/api/v2/alerts", token: "token-prometheus", body: v2).status == 200)

        let alerts = try daemon.engine.store.alerts()
        let mine = try #require(alerts.first { $0.report.source == "p" })
        #expect(mine.report.dedupKey == "disk-full")
        #expect(mine.report.summary == "Disk \"/var\" full\nsee runbook")
        #expect(mine.report.labels["path"] == #"C:\logs/app"#)
        #expect(mine.report.labels["flame"] == "🔥 hot")
        #expect(mine.report.labels["accent"] == "café café")
        #expect(mine.report.labels["tab"] == "a\tb")
        let prometheus = try #require(alerts.first { $0.report.source == "prometheus" })
        #expect(prometheus.report.labels["alertname"] == "Disk💾Full")
        #expect(prometheus.report.labels["note"] == #""quoted" \ back/slash"#)
        let sent = ["alertname": "Disk💾Full", "note": #""quoted" \ back/slash"#, "service": "payments-core"]
        #expect(prometheus.report.dedupKey == "fingerprint:\(AlertFingerprint.of(sent))")
    }

    @Test(arguments: StoreBackend.all) func nestingIsReadToSixtyFourLevelsAndRefusedBeyond(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        func body(extraLevels: Int) -> String {
            let alert = #"{"labels":{"alertname":"Deep\#(extraLevels)"}}"#
            let extra = String(repeating: "[", count: extraLevels) + String(repeating: "]", count: extraLevels)
            return #"{"version":"4","alerts":[\#(alert)],"someFutureField":\#(extra)}"#
        }
        let deepest = await daemon.request("POST", Self.webhook, token: "token-alertmanager", body: body(extraLevels: 63))
        #expect(deepest.status == 200, "\(deepest.text)")
        let tooDeep = await daemon.request("POST", Self.webhook, token: "token-alertmanager", body: body(extraLevels: 64))
        #expect(tooDeep.status == 400)
        #expect((tooDeep.json["detail"] as? String)?.contains("nested more than 64 deep") == true, "\(tooDeep.text)")
    }

    @Test(arguments: StoreBackend.all) func hostileNestingIsRefusedAndTheServerGoesOn(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        for (path, token) in [("/api/v1/alerts", "token-monitoring"), ("/api/v2/alerts", "token-prometheus"), (Self.webhook, "token-alertmanager")] {
            let response = await daemon.request("POST", path, token: token, body: String(repeating: "[{\"a\":", count: 6_000))
            #expect(response.status == 400, "\(path)")
            #expect((response.json["detail"] as? String)?.contains("nested more than 64 deep at byte 193") == true, "\(response.text)")
        }
        #expect(try daemon.snapshot() == before)
        #expect(await daemon.postAlert(Self.alert).status == 202)
    }

    @Test(arguments: StoreBackend.all) func invalidUTF8IsRefused(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        var body = Data(Self.alert.utf8)
        body.replaceSubrange(body.range(of: Data("\"s\"".utf8))!, with: [0x22, 0x73, 0xC3, 0x28, 0x22])
        let response = await HTTPTransfer(method: "POST", url: daemon.baseURL + "/api/v1/alerts",
                                          headers: ["Authorization": "Bearer token-monitoring", "Content-Type": "application/json"], body: body).sendPatiently()
        #expect(response.status == 400)
        #expect((response.json["detail"] as? String)?.contains("invalid UTF-8 in the string at byte") == true, "\(response.text)")
        #expect(try daemon.snapshot() == before)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var path = "/api/v1/alerts"
        var token = "token-monitoring"
        var body: String
        var detail: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "trailing garbage", body: alert + " x",
                detail: "The body is not valid JSON: expected the end of the body at byte \(alert.utf8.count + 2)."),
        Refusal(name: "two bodies in one", body: alert + alert, detail: "expected the end of the body at byte \(alert.utf8.count + 1)"),
        Refusal(name: "a body cut short", body: #"[{"source":"p""#, detail: "expected ',' or '}', but the body ends after 14 bytes."),
        Refusal(name: "an empty body", body: "", detail: "The body is not valid JSON: the body is empty."),
        Refusal(name: "a trailing comma", body: #"{"source":"p",}"#, detail: "expected a string key at byte 15."),
        Refusal(name: "an unescaped newline in a string", body: "{\"source\":\"p\nq\"}", detail: "a control character in a string must be escaped at byte 13"),
        Refusal(name: "an unknown escape", body: #"{"source":"\x41"}"#, detail: "expected an escape such as \\n or \\u00e9 after '\\' at byte 13"),
        Refusal(name: "half a surrogate pair", body: #"{"source":"\ud83d!"}"#, detail: "a \\u escape of half a surrogate pair at byte 12"),
        Refusal(name: "a leading zero", body: #"{"labels":{"n":01}}"#, detail: "a number with a leading zero at byte 16"),
        Refusal(name: "single quotes", body: "{'source':'p'}", detail: "expected a string key or '}' at byte 2"),
        Refusal(name: "a JSON string, not an alert", body: #""alert""#,
                detail: "Wrong type at the body: expected an alert object or an array of them, not a string."),
        Refusal(name: "a number where a string goes", body: alert.replacingOccurrences(of: #""k""#, with: "42"),
                detail: "Wrong type at dedup_key: expected a string, not a number."),
        Refusal(name: "a null required field", body: alert.replacingOccurrences(of: #""s""#, with: "null"),
                detail: "Field summary is null; give it a value."),
        Refusal(name: "a number among the labels of the second alert",
                body: "[\(alert),\(alert.replacingOccurrences(of: #""service""#, with: #""labels":{"urgency":3},"service""#))]",
                detail: "Wrong type at [1].labels.urgency: expected a string, not a number."),
        Refusal(name: "an alert that is not an object", body: "[\(alert),[]]", detail: "Wrong type at [1]: expected an object, not an array."),
        Refusal(name: "Prometheus: an object, not a list", path: "/api/v2/alerts", token: "token-prometheus", body: #"{"labels":{"a":"b"}}"#,
                detail: "Not a list of Alertmanager API v2 alerts: wrong type at the body: expected an array, not an object."),
        Refusal(name: "Prometheus: a number among the labels", path: "/api/v2/alerts", token: "token-prometheus",
                body: #"[{"labels":{"alertname":"x"}},{"labels":{"alertname":"y","severity":2}}]"#,
                detail: "wrong type at [1].labels.severity: expected a string, not a number."),
        Refusal(name: "Prometheus: null labels", path: "/api/v2/alerts", token: "token-prometheus", body: #"[{"labels":null}]"#,
                detail: "field [0].labels is null; give it a value."),
        Refusal(name: "Prometheus: no labels", path: "/api/v2/alerts", token: "token-prometheus", body: #"[{"annotations":{}}]"#,
                detail: "missing field [0].labels."),
        Refusal(name: "Prometheus: trailing bracket", path: "/api/v2/alerts", token: "token-prometheus", body: #"[{"labels":{"a":"b"}}]]"#,
                detail: "The body is not valid JSON: expected the end of the body at byte 23."),
        Refusal(name: "webhook: labels as a list", path: webhook, token: "token-alertmanager",
                body: #"{"version":"4","alerts":[{"labels":{"a":"b"}},{"labels":["a"]}]}"#,
                detail: "Not an Alertmanager webhook payload: wrong type at alerts[1].labels: expected an object of string values, not an array."),
        Refusal(name: "webhook: a fractional count", path: webhook, token: "token-alertmanager",
                body: #"{"version":"4","truncatedAlerts":1.5,"alerts":[]}"#, detail: "wrong type at truncatedAlerts: expected an integer, not a number."),
        Refusal(name: "webhook: no version", path: webhook, token: "token-alertmanager", body: #"{"alerts":[]}"#, detail: "missing field version."),
    ]

    @Test(arguments: refusals, StoreBackend.all)
    func refusedBodyGetsAProblemAndChangesNothing(_ refusal: Refusal, _ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let response = await daemon.request("POST", refusal.path, token: refusal.token, body: refusal.body)
        #expect(response.status == 400)
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect((response.json["detail"] as? String)?.contains(refusal.detail) == true, "detail was: \(response.json["detail"] ?? response.text)")
        #expect(try daemon.snapshot() == before)
    }
}
