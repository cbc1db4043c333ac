import Foundation
import Testing
import TocsinCore

/// Alertmanager's webhook receiver and its `/api/v2/alerts`, in-process with a manual clock.
@Suite struct AlertmanagerWebhookTests {
    static let path = "/api/v1/integrations/alertmanager"

    @Test(arguments: StoreBackend.all) func haPairDuplicatesAndRepeatsFoldIntoOneAlertOneIncidentOnePage(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let body = MonitoringPayloads.webhook([MonitoringPayloads.labelledAlert(startsAt: daemon.clock.now())])
        let first = await daemon.request("POST", Self.path, token: "token-alertmanager", body: body)
        #expect(first.status == 200)
        #expect(first.json["opened_incidents"] as? [Int] == [1])
        daemon.clock.advance(by: 3)
        let second = await daemon.request("POST", Self.path, token: "token-alertmanager", body: body)
        #expect(second.json["deduplicated"] as? Int == 1)
        daemon.clock.advance(by: 60)
        _ = await daemon.request("POST", Self.path, token: "token-alertmanager", body: body)
        await daemon.runDue()

        #expect(try daemon.engine.store.incidents().count == 1)
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.receiveCount == 3)
        #expect(alert.report.dedupKey == "fingerprint:\(AlertFingerprint.of(MonitoringPayloads.paymentLabels))")
        #expect(alert.report.labels["urgency"] == "high", "severity: critical is read as the most urgent urgency these rules define")
        #expect(alert.report.summary == "Payment API errors above 20%")
        #expect(alert.report.source == "alertmanager")

        let received = try #require(try daemon.engine.store.timeline(1).first { $0.kind == .alertReceived })
        #expect(received.detail["group_key"] == #"{}:{alertname="PaymentErrors"}"#)
        #expect(received.detail["fingerprint"] == AlertFingerprint.of(MonitoringPayloads.paymentLabels))
        #expect(received.detail["alertmanager"] == "http://alertmanager-1.example:9093")
        #expect(received.detail["starts_at"] == UTCTime.string(daemon.clock.now().addingTimeInterval(-63)))
        #expect(try daemon.engine.store.incident(1).runbookID == "total-outage")
    }

    @Test(arguments: StoreBackend.all) func eachAlertsOwnStatusCountsNotTheGroups(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let start = daemon.clock.now()
        var card = MonitoringPayloads.paymentLabels
        card["alertname"] = "CardErrors"
        _ = await daemon.request("POST", Self.path, token: "token-alertmanager", body: MonitoringPayloads.webhook([
            MonitoringPayloads.labelledAlert(startsAt: start), MonitoringPayloads.labelledAlert(card, startsAt: start),
        ]))
        daemon.clock.advance(by: 30)
        // The group is still firing, but one of its alerts has resolved.
        let response = await daemon.request("POST", Self.path, token: "token-alertmanager", body: MonitoringPayloads.webhook([
            MonitoringPayloads.labelledAlert(status: "resolved", startsAt: start, endsAt: MonitoringPayloads.nanosecondTime(daemon.clock.now())),
            MonitoringPayloads.labelledAlert(card, startsAt: start),
        ], status: "firing"))
        #expect(response.json["resolved"] as? Int == 1)
        #expect(response.json["deduplicated"] as? Int == 1)
        let firing = try daemon.engine.store.alerts(status: .firing)
        #expect(firing.map { $0.report.labels["alertname"] } == ["CardErrors"])
    }

    @Test(arguments: StoreBackend.all) func truncatedNotificationNeverResolvesTheAlertsItLeavesOut(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let start = daemon.clock.now()
        let names = ["A", "B", "C"]
        let alerts = names.map { name in MonitoringPayloads.labelledAlert(MonitoringPayloads.paymentLabels.merging(["alertname": name]) { _, new in new }, startsAt: start) }
        _ = await daemon.request("POST", Self.path, token: "token-alertmanager", body: MonitoringPayloads.webhook(alerts))
        daemon.clock.advance(by: 60)
        // max_alerts: 1 — two alerts left out of this notification, none of them resolved.
        let response = await daemon.request("POST", Self.path, token: "token-alertmanager",
                                            body: MonitoringPayloads.webhook([alerts[0]], truncated: 2))
        #expect(response.status == 200)
        #expect(response.json["resolved"] as? Int == 0)
        #expect(Set(try daemon.engine.store.alerts(status: .firing).compactMap { $0.report.labels["alertname"] }) == Set(names))
        #expect(try daemon.engine.store.alerts().first { $0.report.labels["alertname"] == "A" }?.receiveCount == 2)
    }

    @Test(arguments: StoreBackend.all) func lateFiringRepeatAfterTheResolutionReopensNothingButANewFiringDoes(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let start = daemon.clock.now()
        let firing = MonitoringPayloads.webhook([MonitoringPayloads.labelledAlert(startsAt: start)])
        _ = await daemon.request("POST", Self.path, token: "token-alertmanager", body: firing)
        await daemon.runDue()
        daemon.clock.advance(by: 40)
        _ = await daemon.request("POST", Self.path, token: "token-alertmanager", body: MonitoringPayloads.webhook(
            [MonitoringPayloads.labelledAlert(status: "resolved", startsAt: start, endsAt: MonitoringPayloads.nanosecondTime(daemon.clock.now()))], status: "resolved"))
        // The slower member of the pair delivers its (older) firing notification after the resolution.
        daemon.clock.advance(by: 5)
        let late = await daemon.request("POST", Self.path, token: "token-alertmanager", body: firing)
        #expect(late.json["ignored"] as? Int == 1)
        await daemon.advance(by: 3600)
        #expect(try daemon.engine.store.incidents().count == 1)
        #expect(daemon.escalationPages.count == 1)

        // The same alert firing again later has a new start: a new fault.
        let again = await daemon.request("POST", Self.path, token: "token-alertmanager",
                                         body: MonitoringPayloads.webhook([MonitoringPayloads.labelledAlert(startsAt: daemon.clock.now())]))
        #expect(again.json["opened_incidents"] as? [Int] == [2])
    }

    @Test(arguments: StoreBackend.all) func prometheusPushingDirectlyAndThroughAlertmanagerIsOneAlert(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let start = daemon.clock.now()
        // Prometheus's own form: no status, no fingerprint, an endsAt in the future while firing.
        let pushed = MonitoringPayloads.json([MonitoringPayloads.labelledAlert(status: nil, startsAt: start,
                                                                               endsAt: MonitoringPayloads.nanosecondTime(start.addingTimeInterval(240)), fingerprint: false)])
        let direct = await daemon.request("POST", "/api/v2/alerts", token: "token-prometheus", body: pushed)
        #expect(direct.status == 200)
        #expect(direct.json["opened_incidents"] as? [Int] == [1])
        daemon.clock.advance(by: 2)
        let relayed = await daemon.request("POST", Self.path, token: "token-alertmanager",
                                           body: MonitoringPayloads.webhook([MonitoringPayloads.labelledAlert(startsAt: start)]))
        #expect(relayed.json["deduplicated"] as? Int == 1)
        #expect(try daemon.engine.store.alerts().count == 1)

        // Prometheus reports the resolution with endsAt at the moment it resolved.
        daemon.clock.advance(by: 60)
        let resolved = MonitoringPayloads.json([MonitoringPayloads.labelledAlert(status: nil, startsAt: start,
                                                                                 endsAt: MonitoringPayloads.nanosecondTime(daemon.clock.now().addingTimeInterval(-1)), fingerprint: false)])
        let answer = await daemon.request("POST", "/api/v2/alerts", token: "token-prometheus", body: resolved)
        #expect(answer.json["resolved"] as? Int == 1)
        #expect(try daemon.engine.store.alerts(status: .firing).isEmpty)
    }

    @Test(arguments: StoreBackend.all) func labelMappingIsPerIntegration(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let labels = ["alertname": "LedgerLag", "app": "payments-core", "priority": "P1"]
        let response = await daemon.request("POST", Self.path, token: "token-labelled-differently", body: MonitoringPayloads.webhook([
            MonitoringPayloads.labelledAlert(labels, startsAt: daemon.clock.now(), extra: ["annotations": ["headline": "Ledger writes lagging 5 minutes"]]),
        ]))
        #expect(response.json["opened_incidents"] as? [Int] == [1])
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.report.service == "payments-core")
        #expect(alert.report.labels["urgency"] == "high")
        #expect(alert.report.summary == "Ledger writes lagging 5 minutes")
        #expect(alert.severity == .sev1)

        let unlabelled = await daemon.request("POST", Self.path, token: "token-labelled-differently", body: MonitoringPayloads.webhook([
            MonitoringPayloads.labelledAlert(["alertname": "SettlementFileLate"], startsAt: daemon.clock.now(), extra: ["annotations": [:] as [String: String]]),
        ]))
        #expect(unlabelled.status == 200)
        let late = try #require(try daemon.engine.store.alerts().first { $0.report.labels["alertname"] == "SettlementFileLate" })
        #expect(late.report.service == "settlement", "the integration's default service")
        #expect(late.report.summary == "SettlementFileLate", "no summary annotation: the alertname")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var token: String?
        var body: String
        var status: Int
        var detail: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "webhook version 3", path: path, token: "token-alertmanager",
                body: MonitoringPayloads.webhook([]).replacingOccurrences(of: #""version":"4""#, with: #""version":"3""#), status: 400, detail: "version \"4\""),
        Refusal(name: "alerts not a list", path: path, token: "token-alertmanager", body: #"{"version":"4","alerts":{}}"#, status: 400, detail: "alerts"),
        Refusal(name: "an alert without labels", path: path, token: "token-alertmanager",
                body: #"{"version":"4","alerts":[{"status":"firing","labels":{}}]}"#, status: 400, detail: "alerts[0].labels is empty"),
        Refusal(name: "a bad per-alert status", path: path, token: "token-alertmanager",
                body: #"{"version":"4","alerts":[{"status":"burning","labels":{"alertname":"x"}}]}"#, status: 400, detail: "\"burning\""),
        Refusal(name: "a bad time", path: "/api/v2/alerts", token: "token-prometheus",
                body: #"[{"labels":{"alertname":"x"},"startsAt":"yesterday"}]"#, status: 400, detail: "alerts[0].startsAt"),
        Refusal(name: "malformed JSON", path: "/api/v2/alerts", token: "token-prometheus", body: "[{", status: 400, detail: "not valid JSON"),
        Refusal(name: "no token", path: path, token: nil, body: "{}", status: 401, detail: "Authorization"),
        Refusal(name: "another kind's token", path: path, token: "token-prometheus", body: "{}", status: 403, detail: "prometheus integration \"prometheus\""),
        Refusal(name: "a person's token", path: "/api/v2/alerts", token: "token-chen", body: "[]", status: 403, detail: "person chen.wei"),
        Refusal(name: "a token not declared under integrations", path: path, token: "token-monitoring", body: "{}", status: 403, detail: "integrations:"),
    ]

    @Test(arguments: refusals, StoreBackend.all)
    func refusedNotificationGetsAProblemAndChangesNothing(_ refusal: Refusal, _ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let response = await daemon.request("POST", refusal.path, token: refusal.token, body: refusal.body)
        #expect(response.status == refusal.status)
        #expect(response.json["status"] as? Int == refusal.status)
        #expect((response.json["detail"] as? String)?.contains(refusal.detail) == true, "detail was: \(response.json["detail"] ?? response.text)")
        #expect(try daemon.snapshot() == before)
    }
}
