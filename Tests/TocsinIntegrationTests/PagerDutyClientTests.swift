import Foundation
import Testing
import TocsinTestSupport

/// PagerDuty's own Python client for the Events API v2 (the `pagerduty` package on PyPI,
/// `EventsApiV2Client`) pointed at the real tocsind by its base URL. The client accepts only
/// `https://`, so tocsind serves TLS with a test certificate the client is told to trust.
@Suite struct PagerDutyClientTests {
    /// Runs one client call; prints `OK <dedup key>` or `HTTP <status> <body>`.
    static let script = """
        import sys, pagerduty
        action, base_url, ca, routing_key, dedup_key = sys.argv[1:6]
        client = pagerduty.EventsApiV2Client(routing_key, base_url=base_url, verify=ca)
        try:
            if action == "trigger":
                key = client.trigger("Card authorisations failing at the acquirer", "card-gw-01", dedup_key=dedup_key,
                                     severity="critical", payload={"component": "card-acquiring", "group": "acquiring"},
                                     custom_details={"scenario": "error_rate", "error_ratio": 0.37})
            elif action == "acknowledge":
                key = client.acknowledge(dedup_key)
            elif action == "resolve":
                key = client.resolve(dedup_key)
            elif action == "invalid":
                key = client.send_event("trigger", payload={"summary": "", "source": "card-gw-01", "severity": "fatal"})
            print("OK", key)
        except pagerduty.HttpError as error:
            print("HTTP", error.response.status_code, error.response.text.replace("\\n", " "))
        """

    @Test func clientTriggersAcknowledgesAndResolvesByDedupKey() async throws {
        let python = try await onOwnThread(MonitoringStack.pythonWithPagerDutyClient)
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
        let certificate = try await folder.enableTLS()
        let daemon = try TocsindDaemon(folder, certificate: certificate)
        defer {
            daemon.stop()
            folder.remove()
        }
        try await daemon.waitUntilServing()
        let view = TocsindView(daemon: daemon)
        let script = folder.root.appendingPathComponent("pagerduty_client.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)

        func client(_ action: String, routingKey: String = "demo-pagerduty-routing-key", dedupKey: String = "card-auth-7") async throws -> String {
            let run = try RunningProgram("pagerduty client", executable: python,
                                         arguments: [script.path, action, daemon.baseURL, certificate.path, routingKey, dedupKey],
                                         logFile: folder.root.appendingPathComponent("pagerduty-\(action)-\(UUID().uuidString.prefix(6)).log"))
            let status = try await run.exitStatus(within: .seconds(60))
            #expect(status == 0, "the client crashed: \(run.output)")
            return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let state: @Sendable () async -> String = { "\(await view.summary()); pages \(pages.listener.pages.count)" }

        #expect(try await client("trigger") == "OK card-auth-7")
        try await Polling.until("the trigger opens an incident and pages the commander", state: state) {
            await view.incidents().count == 1 && pages.listener.pages.count == 1
        }
        // A client retrying the same trigger (PagerDuty's clients retry on 5xx and time-outs).
        #expect(try await client("trigger") == "OK card-auth-7")
        let alert = try #require(await view.alerts().first)
        #expect(alert["receive_count"] as? Int == 2)
        #expect(alert["dedup_key"] as? String == "pagerduty:pagerduty-clients:card-auth-7")
        #expect(alert["service"] as? String == "card-acquiring", "the payload's component maps to the service")
        #expect(alert["severity"] as? String == "SEV1", "critical on a tier-1 service")
        #expect((alert["labels"] as? [String: String])?["error_ratio"] == "0.37")
        #expect(await view.incidents().count == 1)
        #expect(pages.listener.pages.count == 1)
        #expect(pages.listener.pages.first?.json["runbook"].flatMap { ($0 as? [String: Any])?["id"] as? String } == "card-acquiring-errors")

        #expect(try await client("acknowledge") == "OK card-auth-7")
        let incident = try #require(await view.incidents().first)
        #expect(incident["acknowledged_by"] as? String == "pagerduty-clients")

        #expect(try await client("resolve") == "OK card-auth-7")
        #expect(await view.alerts().first?["status"] as? String == "resolved")
        let kinds = await view.timelineKinds(1)
        #expect(kinds.contains("acknowledged"))
        #expect(kinds.last == "alert_resolved")

        let invalid = try await client("invalid")
        #expect(invalid.hasPrefix("HTTP 400"))
        #expect(invalid.contains("invalid event"))
        #expect(invalid.contains("'payload.summary' is missing or blank"))
        #expect(invalid.contains("'payload.severity' must be one of critical, error, warning or info"))
        let unknownKey = try await client("trigger", routingKey: "not-a-routing-key-we-know")
        #expect(unknownKey.hasPrefix("HTTP 400"))
        #expect(unknownKey.contains("routing_key"))
        #expect(await view.alerts().count == 1, "refused events change nothing")
        #expect(pages.listener.pages.count == 1)
        await pages.stop()
        print("PagerDuty client (\(python)): trigger, retried trigger, acknowledge, resolve answered 202 with the dedup key; invalid event and unknown routing key answered 400 invalid event")
    }
}
