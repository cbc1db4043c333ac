import Foundation
import Testing
import TocsinTestSupport

/// The real Prometheus (Debian's `prometheus`) evaluating a real alerting rule and sending to
/// the real tocsind through its Alertmanager-compatible `POST /api/v2/alerts`, configured with
/// Deploy/prometheus.yml.
@Suite struct PrometheusTests {
    @Test func firingRuleOpensOneIncidentPagesOnceAndResolvesWhenTheRuleStopsFiring() async throws {
        let target = ScrapeTarget(value: 0.5)
        let targetPort = try await target.start()
        let stack = try await MonitoredTocsind.start()
        defer { stack.stop() }
        let (pages, folder, view, tocsindPort) = (stack.pages, stack.folder, stack.view, stack.folder.port)

        // Deploy/prometheus.yml's alerting block, plus a rule on a gauge the test controls.
        let config = try MonitoringStack.deployFile("prometheus.yml", tocsindPort: tocsindPort) + """

            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: [rules.yml]
            scrape_configs:
              - job_name: payments
                static_configs:
                  - targets: ['127.0.0.1:\(targetPort)']
            """
        let rules = """
            groups:
              - name: payments
                rules:
                  - alert: PaymentErrorRatioHigh
                    # Over fifteen seconds, so scrapes missed while a loaded machine stalls do not make the
                    # series stale and the alert flap (resolve, then fire anew as a second alert).
                    expr: max_over_time(\(target.metric)[15s]) > 0.2
                    for: 0s
                    labels:
                      service: payments-core
                      severity: critical
                      scenario: total_outage
                    annotations:
                      summary: Payment API errors above 20%
            """
        let promFolder = folder.root.appendingPathComponent("prometheus")
        try FileManager.default.createDirectory(at: promFolder, withIntermediateDirectories: true)
        try config.write(to: promFolder.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        try rules.write(to: promFolder.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let prometheus = try RunningProgram(
            "prometheus", executable: MonitoringStack.prometheus,
            arguments: ["--config.file=\(promFolder.path)/prometheus.yml", "--storage.tsdb.path=\(promFolder.path)/data",
                        // A port it picks itself, which no other program can take first.
                        "--web.listen-address=127.0.0.1:0", "--rules.alert.resend-delay=1s"],
            logFile: promFolder.appendingPathComponent("prometheus.log")
        )
        stack.adopt(prometheus)
        let state: @Sendable () async -> String = { "\(await view.summary()); pages \(pages.listener.pages.count); \(prometheus.status(lines: 5))" }

        try await Polling.until("the rule fires and tocsind opens an incident", state: state) {
            try prometheus.requireRunning()
            return await view.incidents().count == 1
        }
        try await Polling.until("the commander is paged", state: state) { pages.listener.pages.count == 1 }
        // Prometheus re-sends a firing alert every second (resend delay): the repeats fold into it.
        try await Polling.until("Prometheus has re-sent the firing alert twice", state: state) {
            (await view.alert("PaymentErrorRatioHigh")?["receive_count"] as? Int ?? 0) >= 3
        }
        #expect(await view.incidents().count == 1)
        #expect(pages.listener.pages.map(\.path) == ["/chen.wei"])
        let alert = try #require(await view.alert("PaymentErrorRatioHigh"))
        #expect(alert["source"] as? String == "prometheus")
        #expect(alert["service"] as? String == "payments-core")
        #expect(alert["severity"] as? String == "SEV1")
        #expect((alert["dedup_key"] as? String)?.hasPrefix("fingerprint:") == true)
        #expect(pages.listener.pages.first?.json["summary"] as? String == "Payment API errors above 20%")

        target.set(0.05)
        try await Polling.until("Prometheus reports the alert resolved", state: state) {
            await view.alert("PaymentErrorRatioHigh")?["status"] as? String == "resolved"
        }
        let kinds = await view.timelineKinds(1)
        #expect(kinds.contains("alert_resolved"))
        #expect(kinds.last == "escalation_stopped")
        await prometheus.stop()
        #expect(await view.incidents().count == 1, "Prometheus's resolved re-sends reopen nothing")
        #expect(pages.listener.pages.count == 1)
        await pages.stop()
        await target.stop()
        print("Prometheus: fired, re-sent the firing alert \((alert["receive_count"] as? Int ?? 0) - 1)+ times, resolved; tocsind opened 1 incident and paged once")
    }
}
