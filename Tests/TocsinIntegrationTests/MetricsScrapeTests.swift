import Foundation
import Testing
import TocsinPager
import TocsinTestSupport

/// The real tocsind's `/metrics` read as an operator's monitoring reads it: over loopback after
/// a real incident paged a real receiver, by the real Prometheus, and the sample rule file
/// Deploy/prometheus/tocsin-rules.yml checked and exercised with Prometheus's own promtool.
@Suite struct MetricsScrapeTests {
    static let promtool = "/usr/bin/promtool"

    static func scrape(_ daemon: TocsindDaemon) async throws -> MetricsText {
        let response = await daemon.request("GET", "/metrics", token: nil)
        guard response.status == 200 else { throw HarnessFailure("GET /metrics answered \(response.status.map(String.init) ?? response.error ?? "?")") }
        return try MetricsText(String(decoding: response.body, as: UTF8.self))
    }

    @Test func aRealIncidentMovesTheCountsAndTheOutboxEmptiesOnceThePageIsDelivered() async throws {
        let stack = try await MonitoredTocsind.start()
        defer { stack.stop() }
        let daemon = stack.daemon
        let before = try await Self.scrape(daemon)
        #expect(before.value("tocsin_outbox_depth") == 0)
        #expect(before.total("tocsin_alerts_received_total") == 0)

        let alert = #"{"source":"prometheus","dedup_key":"pay-5xx","summary":"Payment API 5xx above 20%","service":"payments-core","labels":{"urgency":"high"}}"#
        let posted = await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert)
        #expect(posted.status == 202)
        try await Polling.until("the commander is paged", state: { "\(stack.pages.listener.pages.count) pages" }) { stack.pages.listener.pages.count == 1 }
        try await Polling.until("the page's delivery is counted and the outbox is empty", state: { (try? await Self.scrape(daemon).text) ?? "" }) {
            let scraped = try await Self.scrape(daemon)
            return scraped.value("tocsin_page_attempts_total", ["outcome": "sent"]) == 1 && scraped.value("tocsin_outbox_depth") == 0
        }
        let after = try await Self.scrape(daemon)
        #expect(after.value("tocsin_alerts_received_total", ["source": "api", "outcome": "created"]) == 1)
        #expect(after.value("tocsin_incidents_opened_total", ["severity": "SEV1"]) == 1)
        #expect(after.value("tocsin_incidents_open", ["stage": "reported", "severity": "SEV1"]) == 1)
        #expect(after.value("tocsin_page_delivery_seconds_count", ["channel": "webhook"]) == 1)
        #expect(after.value("tocsin_alert_commit_seconds_count") == 1)
        #expect(after.value("tocsin_outbox_oldest_page_age_seconds") == 0)
        for secret in ["demo-", "chen.wei", "Payment API", "pay-5xx", "127.0.0.1", "change-me"] {
            #expect(!after.text.contains(secret), "\(secret) appears at /metrics")
        }
    }

    @Test func prometheusScrapesTocsindAndAnswersAQueryOnItsCounts() async throws {
        let stack = try await MonitoredTocsind.start()
        defer { stack.stop() }
        let port = stack.folder.port
        let promFolder = stack.folder.root.appendingPathComponent("prometheus")
        try FileManager.default.createDirectory(at: promFolder, withIntermediateDirectories: true)
        try """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: tocsind
                static_configs:
                  - targets: ['127.0.0.1:\(port)']
            """.write(to: promFolder.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let prometheus = stack.adopt(try RunningProgram(
            "prometheus", executable: MonitoringStack.prometheus,
            arguments: ["--config.file=\(promFolder.path)/prometheus.yml", "--storage.tsdb.path=\(promFolder.path)/data", "--web.listen-address=127.0.0.1:0"],
            logFile: promFolder.appendingPathComponent("prometheus.log")))
        let prometheusPort = try await prometheus.listeningPort()

        let alert = #"{"source":"prometheus","dedup_key":"pay-5xx","summary":"Payment API 5xx above 20%","service":"payments-core","labels":{"urgency":"high"}}"#
        #expect(await stack.daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)

        func query(_ expression: String) async -> [[String: Any]] {
            let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let response = await HTTPTransfer(url: "http://127.0.0.1:\(prometheusPort)/api/v1/query?query=\(encoded)").sendPatiently()
            let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
            return ((json?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
        }
        func value(_ result: [[String: Any]]) -> String? { (result.first?["value"] as? [Any])?.last as? String }
        try await Polling.until("Prometheus has scraped the incident's page", state: { prometheus.status(lines: 5) }) {
            try prometheus.requireRunning()
            return value(await query(#"sum(tocsin_page_attempts_total{job="tocsind",outcome="sent"})"#)) == "1"
        }
        let up = await query(#"up{job="tocsind"}"#)
        #expect(value(up) == "1")
        #expect(value(await query(#"tocsin_alerts_received_total{source="api",outcome="created"}"#)) == "1")
        #expect(value(await query(#"tocsin_incidents_open{stage="reported",severity="SEV1"}"#)) == "1")
        #expect(value(await query("tocsin_outbox_depth")) == "0")
    }

    @Test func theSampleRulesAreValidAndFireOnWhatTheyDescribe() async throws {
        let rules = TocsinBuild.repository.appendingPathComponent("Deploy/prometheus/tocsin-rules.yml").path
        // On threads of their own: a test never holds one of Swift's few shared threads while a program runs.
        let check = try await ChildProcess.run(Self.promtool, ["check", "rules", rules])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("SUCCESS: 8 rules found"), "\(check.output)")

        // promtool's rule unit tests: series over time in, the alerts expected at a moment out.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tests = folder.appendingPathComponent("tocsin-rules-test.yml")
        try """
            rule_files: [\(rules)]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'up{job="tocsind",instance="a:8080"}'
                    values: '1 1 0 0 0'
                  - series: 'tocsin_page_attempts_total{job="tocsind",instance="a:8080",channel="sms",outcome="failed"}'
                    values: '0 0 0 1 1'
                  - series: 'tocsin_outbox_oldest_page_age_seconds{job="tocsind",instance="a:8080"}'
                    values: '0 60 120 180 240 300 360 420 480 540'
                  - series: 'tocsin_timer_lateness_seconds_bucket{job="tocsind",instance="a:8080",le="5.0"}'
                    values: '0+10x20'
                  - series: 'tocsin_timer_lateness_seconds_bucket{job="tocsind",instance="a:8080",le="10.0"}'
                    values: '0+100x20'
                  - series: 'tocsin_timer_lateness_seconds_bucket{job="tocsind",instance="a:8080",le="+Inf"}'
                    values: '0+100x20'
                alert_rule_test:
                  - eval_time: 1m
                    alertname: TocsindDown
                    exp_alerts: []
                  - eval_time: 3m
                    alertname: TocsindDown
                    exp_alerts:
                      - exp_labels: {job: tocsind, instance: "a:8080", severity: critical, notify: outside-tocsin}
                        exp_annotations:
                          summary: tocsind on a:8080 does not answer scrapes; alerts sent to it may not open incidents.
                  - eval_time: 4m
                    alertname: TocsinPagesFailing
                    exp_alerts:
                      - exp_labels: {instance: "a:8080", channel: sms, severity: critical, notify: outside-tocsin}
                        exp_annotations:
                          summary: Pages on the sms channel failed for good in the last 10 minutes; someone was not reached.
                  - eval_time: 6m
                    alertname: TocsinOutboxStuck
                    exp_alerts: []
                  - eval_time: 8m
                    alertname: TocsinOutboxStuck
                    exp_alerts:
                      - exp_labels: {instance: "a:8080", severity: critical, notify: outside-tocsin}
                        exp_annotations:
                          summary: A page has waited in the outbox for over 5 minutes (8m 0s).
                  - eval_time: 12m
                    alertname: TocsinTimersLate
                    exp_alerts:
                      - exp_labels: {instance: "a:8080", severity: critical, notify: outside-tocsin}
                        exp_annotations:
                          summary: Escalation and procedure timers fire over 5 s late (99th percentile); escalations are delayed.
            """.write(to: tests, atomically: true, encoding: .utf8)
        let unit = try await ChildProcess.run(Self.promtool, ["test", "rules", tests.path])
        #expect(unit.status == 0, "\(unit.output)")
    }
}
