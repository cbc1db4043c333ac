import Foundation
import Testing
import TocsinTestSupport

/// The whole alerting pipeline as its own heartbeat: the real Prometheus evaluates
/// Deploy/watchdog-rule.yml, the real Alertmanager routes the Watchdog alert with
/// Deploy/alertmanager.yml to tocsind's heartbeat endpoint; when the pipeline stops,
/// tocsind raises an alert and pages.
@Suite struct PipelineHeartbeatTests {
    @Test func watchdogThroughAlertmanagerChecksInAndADeadPipelinePages() async throws {
        let stack = try await MonitoredTocsind.start { folder in
            // Twice the 2 s between check-ins (see below), so that one late repeat raises nothing.
            try folder.replace("    interval: 2m\n", with: "    interval: 4s\n", in: "Deploy/tocsin.yaml")
        }
        defer { stack.stop() }
        let (pages, folder, view, tocsindPort) = (stack.pages, stack.folder, stack.view, stack.folder.port)

        let home = folder.root.appendingPathComponent("pipeline")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // The Watchdog route's timings made a second. Alertmanager then flushes every second, but
        // repeats only when the last notification is more than repeat_interval old, which the
        // flush right after it just misses: tocsind gets a check-in every 2 s.
        try MonitoringStack.deployFile("alertmanager.yml", tocsindPort: tocsindPort, replacing: [("group_interval: 30s", "group_interval: 1s"), ("repeat_interval: 1m", "repeat_interval: 1s")])
            .write(to: home.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: TocsinBuild.repository.appendingPathComponent("Deploy/watchdog-rule.yml"), to: home.appendingPathComponent("watchdog-rule.yml"))
        // Both serve on ports they pick themselves (port 0), which no other program can take first.
        let alertmanager = try RunningProgram(
            "alertmanager", executable: MonitoringStack.alertmanager,
            arguments: ["--config.file=\(home.path)/alertmanager.yml", "--storage.path=\(home.path)/alertmanager-data",
                        "--web.listen-address=127.0.0.1:0", "--cluster.listen-address=",
                        // Each alert received and notification sent, for a failure message.
                        "--log.level=debug"],
            logFile: home.appendingPathComponent("alertmanager.log"))
        stack.adopt(alertmanager)
        let alertmanagerPort = try await alertmanager.listeningPort()
        try """
            global:
              evaluation_interval: 1s
            rule_files: [watchdog-rule.yml]
            alerting:
              alertmanagers:
                - api_version: v2
                  static_configs:
                    - targets: ['127.0.0.1:\(alertmanagerPort)']
            """.write(to: home.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let prometheus = try RunningProgram(
            "prometheus", executable: MonitoringStack.prometheus,
            arguments: ["--config.file=\(home.path)/prometheus.yml", "--storage.tsdb.path=\(home.path)/prometheus-data",
                        "--web.listen-address=127.0.0.1:0", "--rules.alert.resend-delay=1s"],
            logFile: home.appendingPathComponent("prometheus.log"))
        stack.adopt(prometheus)

        let state: @Sendable () async -> String = {
            "\(await view.summary()); heartbeat \(await view.heartbeat()); pages \(pages.listener.pages.count)\n"
                + [prometheus, alertmanager].map { $0.status(lines: 12) }.joined(separator: "\n")
        }
        // Prometheus learns of Alertmanager up to 5 s after it starts (its service discovery
        // sends updates every 5 s); the first check-in follows, the next two 2 s apart.
        try await Polling.until("the Watchdog has checked in through Alertmanager three times", state: state) {
            try prometheus.requireRunning()
            try alertmanager.requireRunning()
            return (await view.heartbeat()["check_ins"] as? Int ?? 0) >= 3
        }
        #expect(await view.incidents().isEmpty, "a live pipeline raises nothing")
        #expect(pages.listener.pages.isEmpty)

        // The pipeline dies: Prometheus stops evaluating, Alertmanager stops delivering.
        await prometheus.stop()
        await alertmanager.stop()
        try await Polling.until("the missed check-in opens an incident and pages the commander", state: state) {
            await view.incidents().count == 1 && pages.listener.pages.count == 1
        }
        let alert = try #require(await view.alerts().first)
        #expect(alert["dedup_key"] as? String == "heartbeat:prometheus-pipeline")
        #expect(alert["severity"] as? String == "SEV1")
        #expect(await view.heartbeat()["missed"] as? Bool == true)
        let page = try #require(pages.listener.pages.first?.json)
        #expect((page["runbook"] as? [String: Any])?["id"] as? String == "monitoring-pipeline-down")
        await pages.stop()
        print("Pipeline heartbeat: Prometheus's Watchdog through Alertmanager checked in \(await view.heartbeat()["check_ins"] ?? 0) times; after both stopped, tocsind opened 1 incident and paged the commander once")
    }
}
