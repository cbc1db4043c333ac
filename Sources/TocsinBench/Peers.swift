import Foundation
import TocsinPager

/// The two servers compared, configured alike: tocsind with the sample Contacts/ whose
/// webhooks point at the benchmark's receiver, and Alertmanager with `group_wait: 0s` and a
/// webhook to the same receiver for probe alerts (everything else goes nowhere).
final class Peers: Sendable {
    static let token = "demo-monitoring-token"
    /// The token of the `prometheus` integration, which `/api/v2/alerts` takes.
    static let prometheusToken = "demo-prometheus-token"
    let tocsind: ServerProcess
    let alertmanager: ServerProcess
    let tocsinURL: String
    let alertmanagerURL: String
    let repository: URL
    let folder: URL

    /// The tocsind measured: `TOCSIND` names another build (an earlier commit's, to compare
    /// against in the same run), else this checkout's release build.
    static func tocsindPath(repository: URL) -> String {
        ProcessInfo.processInfo.environment["TOCSIND"] ?? repository.appendingPathComponent(".build/release/tocsind").path
    }

    init(repository: URL, folder: URL, receiverPort: Int) throws {
        self.repository = repository
        self.folder = folder
        let tocsinPort = 39_180, alertmanagerPort = 39_193
        tocsinURL = "http://127.0.0.1:\(tocsinPort)"
        alertmanagerURL = "http://127.0.0.1:\(alertmanagerPort)"

        tocsind = try Self.tocsind(repository: repository, folder: folder.appendingPathComponent("tocsin"), port: tocsinPort,
                                   database: "\(folder.path)/tocsin.sqlite", receiverPort: receiverPort)

        let amFolder = folder.appendingPathComponent("alertmanager")
        try FileManager.default.createDirectory(at: amFolder, withIntermediateDirectories: true)
        let amConfig = amFolder.appendingPathComponent("alertmanager.yml")
        try """
            route:
              receiver: nowhere
              group_by: ['alertname']
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
              routes:
                - matchers: ['probe="yes"']
                  receiver: probe-webhook
                  group_by: ['alertname']
                  group_wait: 0s
            receivers:
              - name: nowhere
              - name: probe-webhook
                webhook_configs:
                  - url: http://127.0.0.1:\(receiverPort)/alertmanager
                    send_resolved: false
            """.write(to: amConfig, atomically: true, encoding: .utf8)
        alertmanager = ServerProcess(
            name: "alertmanager", executable: "/usr/bin/prometheus-alertmanager",
            arguments: ["--config.file=\(amConfig.path)", "--storage.path=\(amFolder.path)/data", "--web.listen-address=127.0.0.1:\(alertmanagerPort)",
                        "--cluster.listen-address="],
            readyURL: "\(alertmanagerURL)/-/ready"
        )
    }

    /// A tocsind on `port` with the sample config, Contacts/ and Runbooks/ copied into `folder`,
    /// its people's webhooks pointing at the benchmark's receiver.
    static func tocsind(repository: URL, folder: URL, port: Int, database: String, receiverPort: Int) throws -> ServerProcess {
        for name in ["Deploy", "Contacts", "Runbooks"] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repository.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let config = folder.appendingPathComponent("Deploy/tocsin.yaml")
        try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "port: 8080", with: "port: \(port)")
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: "http://127.0.0.1:\(port)")
            .replacingOccurrences(of: "database: ../var/tocsin.sqlite", with: "database: \(database)")
            // Hundreds of probe incidents page the commander within seconds; flood bundling would
            // (rightly) fold them into one message, so the latency measure turns it off.
            .replacingOccurrences(of: "rate_limit: {messages: 6, per: 1m}", with: "rate_limit: none")
            .write(to: config, atomically: true, encoding: .utf8)
        let people = folder.appendingPathComponent("Contacts/people.yaml")
        try String(contentsOf: people, encoding: .utf8).replacingOccurrences(of: "127.0.0.1:9099", with: "127.0.0.1:\(receiverPort)")
            .replacingOccurrences(of: "rate_limit: {messages: 3, per: 1m}", with: "rate_limit: none")
            .write(to: people, atomically: true, encoding: .utf8)
        return ServerProcess(name: "tocsind", executable: tocsindPath(repository: repository),
                             arguments: ["--config", config.path], readyURL: "http://127.0.0.1:\(port)/healthz")
    }

    var alertmanagerVersion: String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus-alertmanager")
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try? process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").first.map(String.init) ?? "alertmanager"
    }

    /// Stops both, deletes their data, starts both again.
    func startFresh() async throws {
        stopAll()
        for name in ["tocsin.sqlite", "tocsin.sqlite-wal", "tocsin.sqlite-shm", "alertmanager/data"] {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        try await tocsind.start()
        try await alertmanager.start()
    }

    func stopAll() {
        tocsind.stop()
        alertmanager.stop()
    }

    static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A new critical alert for Tocsin: it opens an incident and pages the commander.
    func sendTocsinProbe(_ id: String) async -> HTTPTransfer.Response {
        await Self.sendTocsinProbe(id, to: tocsinURL)
    }

    static func sendTocsinProbe(_ id: String, to tocsinURL: String) async -> HTTPTransfer.Response {
        let body = #"{"source":"bench","dedup_key":"\#(id)","summary":"\#(id) payments failing","service":"payments-core","labels":{"urgency":"high"},"starts_at":"\#(now())"}"#
        return await HTTPTransfer(method: "POST", url: "\(tocsinURL)/api/v1/alerts",
                                  headers: ["Authorization": "Bearer \(Self.token)", "Content-Type": "application/json"], body: Data(body.utf8)).send()
    }

    /// A new alert for Alertmanager that routes to the probe webhook at once.
    func sendAlertmanagerProbe(_ id: String) async -> HTTPTransfer.Response {
        let body = #"[{"labels":{"alertname":"\#(id)","probe":"yes","severity":"critical"},"annotations":{"summary":"\#(id) payments failing"},"startsAt":"\#(Self.now())"}]"#
        return await HTTPTransfer(method: "POST", url: "\(alertmanagerURL)/api/v2/alerts", headers: ["Content-Type": "application/json"], body: Data(body.utf8)).send()
    }

    /// Batches of new, non-paging alerts in each server's own format.
    static func alertBatch(tocsin: Bool, first: Int, count: Int, tag: String) -> Data {
        let items = (first..<(first + count)).map { n in
            tocsin
                ? #"{"source":"bench","dedup_key":"\#(tag)-\#(n)","summary":"disk usage high","service":"reporting","labels":{"urgency":"low"},"starts_at":"2026-11-21T10:00:00Z"}"#
                : #"{"labels":{"alertname":"BenchDisk","instance":"\#(tag)-\#(n)","severity":"info"},"annotations":{"summary":"disk usage high"},"startsAt":"\#(Self.now())"}"#
        }
        return Data(("[" + items.joined(separator: ",") + "]").utf8)
    }

    func backgroundLoad(tocsin: Bool) -> BackgroundLoad {
        let tag = "background-\(UUID().uuidString.prefix(8))"
        return BackgroundLoad(rate: 2000, batch: 10, url: tocsin ? "\(tocsinURL)/api/v1/alerts" : "\(alertmanagerURL)/api/v2/alerts",
                              headers: tocsin ? ["Authorization": "Bearer \(Self.token)", "Content-Type": "application/json"] : ["Content-Type": "application/json"]) { first, count in
            Self.alertBatch(tocsin: tocsin, first: first, count: count, tag: tag)
        }
    }

    /// Sends `alerts` distinct open alerts in requests of 100, eight at a time, with a count as it goes.
    func load(alerts: Int, tocsin: Bool) async throws {
        let tag = "open-\(UUID().uuidString.prefix(8))"
        let url = tocsin ? "\(tocsinURL)/api/v1/alerts" : "\(alertmanagerURL)/api/v2/alerts"
        let headers = tocsin ? ["Authorization": "Bearer \(Self.token)", "Content-Type": "application/json"] : ["Content-Type": "application/json"]
        var failures = 0
        for start in stride(from: 0, to: alerts, by: 800) {
            await withTaskGroup(of: Int?.self) { group in
                for first in stride(from: start, to: min(alerts, start + 800), by: 100) {
                    group.addTask {
                        await HTTPTransfer(method: "POST", url: url, headers: headers, body: Self.alertBatch(tocsin: tocsin, first: first, count: 100, tag: tag),
                                           timeout: .seconds(30)).send().status
                    }
                }
                for await status in group where !(200..<300).contains(status ?? 0) { failures += 1 }
            }
            let done = min(alerts, start + 800)
            if done % 20_000 == 0 || done == alerts {
                FileHandle.standardError.write(Data("  \(tocsin ? "tocsind" : "alertmanager"): \(done)/\(alerts) alerts\n".utf8))
            }
        }
        if failures > 0 { throw BenchError("\(failures) load requests failed") }
    }

    /// Open alerts each server holds.
    func openAlerts(tocsin: Bool) async throws -> Int {
        if tocsin {
            let response = await HTTPTransfer(url: "\(tocsinURL)/api/v1/alerts/counts", headers: ["Authorization": "Bearer demo-chen-wei-token"], timeout: .seconds(30)).send()
            guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any], let firing = object["firing"] as? Int else {
                throw BenchError("tocsind gave no alert counts: \(response.error ?? "HTTP \(response.status ?? 0)")")
            }
            return firing
        }
        let response = await HTTPTransfer(url: "\(alertmanagerURL)/api/v2/alerts?active=true&silenced=true&inhibited=true", timeout: .seconds(120)).send()
        guard let alerts = (try? JSONSerialization.jsonObject(with: response.body)) as? [Any] else {
            throw BenchError("alertmanager gave no alert list: \(response.error ?? "HTTP \(response.status ?? 0)")")
        }
        return alerts.count
    }

    /// Runs the escalation-timer benchmark (with `arguments`) and reports its percentiles, if it is built.
    func timerLateness(arguments: [String] = []) -> String {
        let binary = repository.appendingPathComponent(".build/release/tocsin-bench-timers").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { return "run `make bench-timers`" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        guard (try? process.run()) != nil else { return "bench-timers failed to start" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Its progress and table, for a run that falls behind to be read.
        FileHandle.standardError.write(Data(text.utf8))
        process.waitUntilExit()
        return TimerReport.summary(from: text) ?? "see `make bench-timers`"
    }
}

/// Reads the p50 and p99 lateness out of `tocsin-bench-timers`' Markdown output.
enum TimerReport {
    static func summary(from text: String) -> String? {
        let rows = text.split(separator: "\n").map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func value(_ label: String) -> String? { rows.first { $0.first == label }?.dropFirst().first }
        if let p50 = value("lateness p50"), let p99 = value("lateness p99") { return "p50 \(p50), p99 \(p99)" }
        // A run whose pages fell behind the firings tells its lateness in one row, and stops.
        if let fired = rows.first(where: { $0.first == "escalation timers fired" }), fired.count > 2 {
            return fired[2] + "; its pages fell behind"
        }
        return nil
    }
}
