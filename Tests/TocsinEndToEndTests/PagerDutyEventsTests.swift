import Foundation
import Testing
import TocsinCore

/// PagerDuty's Events API v2 at `/v2/enqueue`, in-process with a manual clock.
@Suite struct PagerDutyEventsTests {
    static func event(_ action: String, key: String? = "db-primary-1", severity: String = "critical", component: String = "core-ledger",
                      routingKey: String = "routing-key-pagerduty") -> String {
        var event: [String: Any] = ["routing_key": routingKey, "event_action": action, "client": "Nagios"]
        if let key { event["dedup_key"] = key }
        if action == "trigger" {
            event["payload"] = ["summary": "Ledger database primary unreachable", "source": "db-01", "severity": severity,
                                "component": component, "custom_details": ["scenario": "database_primary_failure", "replicas": 2]]
        }
        return MonitoringPayloads.json(event)
    }

    @Test(arguments: StoreBackend.all) func triggerAcknowledgeResolveByDedupKey(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let trigger = await daemon.request("POST", "/v2/enqueue", token: nil, body: Self.event("trigger", component: "payments-core"))
        #expect(trigger.status == 202)
        #expect(trigger.json["status"] as? String == "success")
        #expect(trigger.json["message"] as? String == "Event processed")
        #expect(trigger.json["dedup_key"] as? String == "db-primary-1")
        await daemon.runDue()
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.report.service == "payments-core")
        #expect(alert.report.labels["replicas"] == "2")
        #expect(alert.report.details["pagerduty_dedup_key"] == "db-primary-1")

        daemon.clock.advance(by: 20)
        let ack = await daemon.request("POST", "/v2/enqueue", token: nil, body: Self.event("acknowledge"))
        #expect(ack.status == 202)
        #expect(try daemon.engine.store.incident(1).acknowledgedBy == "pagerduty")
        let acknowledged = try #require(try daemon.engine.store.timeline(1).first { $0.kind == .acknowledged })
        #expect(acknowledged.detail["via"] == "pagerduty")
        await daemon.advance(by: 3600)
        #expect(daemon.escalationPages.count == 1, "the acknowledgement stops the escalation")

        let resolve = await daemon.request("POST", "/v2/enqueue", token: nil, body: Self.event("resolve"))
        #expect(resolve.status == 202)
        #expect(try daemon.engine.store.alerts(status: .firing).isEmpty)
        #expect(try daemon.engine.store.timeline(1).last?.kind == .alertResolved)
    }

    @Test(arguments: [("critical", Severity.sev1, true), ("error", .sev1, true), ("warning", .sev2, true), ("info", .sev3, false)])
    func severitiesMapToUrgencies(_ severity: String, _ expected: Severity, _ opens: Bool) async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        // payments-core is tier 1: critical and error → high (these rules have no critical urgency),
        // warning → medium, info → low.
        let response = await daemon.request("POST", "/v2/enqueue", token: nil, body: Self.event("trigger", severity: severity, component: "payments-core"))
        #expect(response.status == 202)
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.severity == expected)
        #expect(try daemon.engine.store.incidents().isEmpty == !opens)
    }

    @Test(arguments: StoreBackend.all) func eventWithoutDedupKeyGetsOneAndUnknownKeysChangeNothing(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let trigger = await daemon.request("POST", "/v2/enqueue", token: nil, body: Self.event("trigger", key: nil))
        let key = try #require(trigger.json["dedup_key"] as? String)
        #expect(key.count == 32)
        #expect(try daemon.engine.store.alerts().first?.report.dedupKey == "pagerduty:pagerduty:\(key)")
        let before = try daemon.snapshot()
        let ack = await daemon.request("POST", "/v2/enqueue", token: nil, body: Self.event("acknowledge", key: "never-sent"))
        #expect(ack.status == 202)
        #expect(try daemon.snapshot() == before)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var errors: [String]
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "not JSON", body: "{", errors: ["The body is not valid JSON"]),
        Invalid(name: "a key given twice", body: #"{"routing_key":"routing-key-pagerduty","event_action":"trigger","event_action":"resolve","dedup_key":"k"}"#,
                errors: [#"The body is not valid JSON: the key "event_action" appears twice at byte 65"#]),
        Invalid(name: "unknown action", body: #"{"routing_key":"routing-key-pagerduty","event_action":"escalate","dedup_key":"k"}"#,
                errors: ["'event_action' must be one of trigger, acknowledge or resolve, got 'escalate'"]),
        Invalid(name: "resolve without a dedup key", body: #"{"routing_key":"routing-key-pagerduty","event_action":"resolve"}"#,
                errors: ["'dedup_key' is missing or blank"]),
        Invalid(name: "trigger with every payload problem",
                body: #"{"routing_key":"routing-key-pagerduty","event_action":"trigger","payload":{"summary":" ","severity":"fatal","timestamp":"noon"}}"#,
                errors: ["'payload.summary' is missing or blank", "'payload.source' is missing or blank",
                         "'payload.severity' must be one of critical, error, warning or info, got 'fatal'", "'payload.timestamp' is not an ISO 8601 time: 'noon'"]),
        Invalid(name: "trigger without a payload", body: #"{"routing_key":"routing-key-pagerduty","event_action":"trigger"}"#,
                errors: ["'payload' is missing or not an object"]),
        Invalid(name: "no routing key", body: #"{"event_action":"resolve","dedup_key":"k"}"#, errors: ["'routing_key' is missing or blank"]),
        Invalid(name: "unknown routing key", body: event("resolve", routingKey: "not-a-key-we-know"), errors: ["'routing_key' is not one this tocsind knows"]),
        Invalid(name: "another integration's token", body: event("resolve", routingKey: "token-alertmanager"), errors: ["'routing_key' is refused"]),
    ]

    @Test(arguments: invalid, StoreBackend.all)
    func invalidEventIsRefusedInPagerDutysShapeAndChangesNothing(_ item: Invalid, _ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let response = await daemon.request("POST", "/v2/enqueue", token: nil, body: item.body)
        #expect(response.status == 400)
        #expect(response.json["status"] as? String == "invalid event")
        #expect(response.json["message"] as? String == "Event object is invalid")
        let errors = response.json["errors"] as? [String] ?? []
        #expect(errors.count == item.errors.count, "errors were: \(errors)")
        for (error, expected) in zip(errors, item.errors) {
            #expect(error.hasPrefix(expected), "error was: \(error)")
        }
        #expect(try daemon.snapshot() == before)
    }
}
