import Foundation
import Testing
import TocsinCore

/// Grafana's webhook contact point with HMAC-SHA256 signatures, in-process with a manual clock.
@Suite struct GrafanaWebhookTests {
    static let path = "/api/v1/integrations/grafana"
    static let signer = WebhookSignature(secret: TestDaemon.grafanaSecret, timestampHeader: "X-Grafana-Alerting-Timestamp")

    static func body(_ daemon: TestDaemon) -> String {
        MonitoringPayloads.grafana([MonitoringPayloads.labelledAlert(
            ["alertname": "High 5xx ratio", "service": "payments-core", "severity": "critical", "grafana_folder": "Payments"],
            startsAt: daemon.clock.now(), extra: ["values": ["B": 0.37, "C": 1], "silenceURL": "https://grafana.example/alerting/silence/new", "dashboardURL": ""]
        )])
    }

    static func signed(_ body: String, at time: Date, secret: WebhookSignature = signer) -> [String: String] {
        let timestamp = String(Int64(time.timeIntervalSince1970))
        return ["X-Grafana-Alerting-Signature": secret.sign(Data(body.utf8), timestamp: timestamp), "X-Grafana-Alerting-Timestamp": timestamp]
    }

    @Test(arguments: StoreBackend.all) func signedNotificationOpensAnIncidentAndGrafanasExtraFieldsAreIgnored(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let body = Self.body(daemon)
        let response = await daemon.request("POST", Self.path, token: "token-grafana", body: body, headers: Self.signed(body, at: daemon.clock.now()))
        #expect(response.status == 200, "\(response.text)")
        #expect(response.json["opened_incidents"] as? [Int] == [1])
        await daemon.runDue()
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
        let received = try #require(try daemon.engine.store.timeline(1).first { $0.kind == .alertReceived })
        #expect(received.actor == "grafana")
        #expect(received.detail["grafana"] == "https://grafana.example/")
        #expect(received.detail["org_id"] == "1")
    }

    struct Forgery: Sendable, CustomTestStringConvertible {
        var name: String
        var headers: @Sendable (String, Date) -> [String: String]
        var detail: String
        var testDescription: String { name }
    }

    static let forgeries: [Forgery] = [
        Forgery(name: "no signature", headers: { _, _ in [:] }, detail: "X-Grafana-Alerting-Signature header is missing"),
        Forgery(name: "signed with another secret", headers: { body, now in signed(body, at: now, secret: WebhookSignature(secret: "somebody-elses-secret-0000", timestampHeader: "x")) },
                detail: "does not match"),
        Forgery(name: "body altered after signing", headers: { body, now in signed(body.replacingOccurrences(of: "critical", with: "info"), at: now) },
                detail: "does not match"),
        Forgery(name: "replayed after ten minutes", headers: { body, now in signed(body, at: now.addingTimeInterval(-600)) }, detail: "may be a replay"),
        Forgery(name: "timestamp header missing", headers: { body, now in signed(body, at: now).filter { $0.key != "X-Grafana-Alerting-Timestamp" } },
                detail: "X-Grafana-Alerting-Timestamp header is missing"),
    ]

    @Test(arguments: forgeries, StoreBackend.all)
    func badSignatureIsRefusedAndChangesNothing(_ forgery: Forgery, _ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let body = Self.body(daemon)
        let before = try daemon.snapshot()
        let response = await daemon.request("POST", Self.path, token: "token-grafana", body: body, headers: forgery.headers(body, daemon.clock.now()))
        #expect(response.status == 401)
        #expect((response.json["detail"] as? String)?.contains(forgery.detail) == true, "detail was: \(response.text)")
        #expect(try daemon.snapshot() == before)
    }
}
