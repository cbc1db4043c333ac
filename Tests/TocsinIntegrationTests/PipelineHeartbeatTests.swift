import Foundation
import Testing
import TocsinTestSupport

/// The whole alerting pipeline as its own heartbeat: the real Prometheus evaluates
/// Deploy/watchdog-rule.yml, the real Alertmanager routes the Watchdog alert with
/// Deploy/alertmanager.yml to tocsind's heartbeat endpoint; when the pipeline stops,
/// tocsind raises an alert and pages.
@Suite struct PipelineHeartbeatTests {
    @Test func watchdogThroughAlertmanagerChecksInAndADeadPipelinePages() async throws {
        let pages = try await LoopbackListener.start()
        let ports = try LoopbackPort.free(3)
        let folder = try DaemonFolder(port: ports[0], listenerPort: pages.port)
        try folder.replace("    interval: 2m\n", with: "    interval: 4s\n", in: "Deploy/tocsin.yaml")
        let daemon = try TocsindDaemon(folder)
        var programs: [RunningProgram] = [daemon.program]
        defer {
            for program in programs { program.stop() }
            folder.remove()
        }
        try await daemon.waitUntilServing()
        let view = TocsindView(daemon: daemon)

        let home = folder.root.appendingPathComponent("pipeline")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try MonitoringStack.deployFile("alertmanager.yml", tocsindPort: ports[0], replacing: [("group_interval: 30s", "group_interval: 1s"), ("repeat_interval: 1m", "repeat_interval: 1s")])
            .write(to: home.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: TocsinBuild.repository.appendingPathComponent("Deploy/watchdog-rule.yml"), to: home.appendingPathComponent("watchdog-rule.yml"))
        try """
            global:
              evaluation_interval: 1s
            rule_files: [watchdog-rule.yml]
            alerting:
              alertmanagers:
                - api_version: v2
                  static_configs:
                    - targets: ['127.0.0.1:\(ports[1])']
            """.write(to: home.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let alertmanager = try RunningProgram(
            "alertmanager", executable: MonitoringStack.alertmanager,
            arguments: ["--config.file=\(home.path)/alertmanager.yml", "--storage.path=\(home.path)/alertmanager-data",
                        "--web.listen-address=127.0.0.1:\(ports[1])", "--cluster.listen-address="],
            logFile: home.appendingPathComponent("alertmanager.log"))
        programs.append(alertmanager)
        let prometheus = try RunningProgram(
            "prometheus", executable: MonitoringStack.prometheus,
            arguments: ["--config.file=\(home.path)/prometheus.yml", "--storage.tsdb.path=\(home.path)/prometheus-data",
                        "--web.listen-address=127.0.0.1:\(ports[2])", "--rules.alert.resend-delay=1s"],
            logFile: home.appendingPathComponent("prometheus.log"))
        programs.append(prometheus)

        let state: @Sendable () async -> String = { "\(await view.summary()); heartbeat \(await view.heartbeat()); pages \(pages.listener.pages.count)" }
        try await Polling.until("the Watchdog has checked in through Alertmanager three times", state: state) {
            (await view.heartbeat()["check_ins"] as? Int ?? 0) >= 3
        }
        #expect(await view.incidents().isEmpty, "a live pipeline raises nothing")
        #expect(pages.listener.pages.isEmpty)

        // The pipeline dies: Prometheus stops evaluating, Alertmanager stops delivering.
        prometheus.stop()
        alertmanager.stop()
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
