import Foundation
import TocsinPager
import TocsinTestSupport

/// The monitoring programs the integration tests run, under the names Debian installs them,
/// and the tocsind they send to.
enum MonitoringStack {
    static let prometheus = "/usr/bin/prometheus"
    static let alertmanager = "/usr/bin/prometheus-alertmanager"

    /// A Python interpreter that has PagerDuty's client (`pip install pagerduty`): `$TOCSIN_PYTHON`,
    /// else the first `python3` on the PATH, else Debian's.
    static func pythonWithPagerDutyClient() throws -> String {
        try python(with: "pagerduty; pagerduty.EventsApiV2Client", package: "pagerduty")
    }

    /// A Python interpreter that can `import check` (PyPI's `package`), found as for PagerDuty's client.
    static func python(with check: String, package: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates = environment["TOCSIN_PYTHON"].map { [$0] } ?? []
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(folder)/python3")
        }
        candidates.append("/usr/bin/python3")
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if try ChildProcess.run(candidate, ["-c", "import \(check)"]).status == 0 { return candidate }
        }
        throw HarnessFailure("no python3 with the `\(package)` package; `make test-deps` installs it (tried \(candidates.joined(separator: ", ")))")
    }

    /// A Deploy/ example file with tocsind's address and the test's timings put in; throws when
    /// the file no longer contains what a change replaces, rather than leave it unchanged.
    static func deployFile(_ name: String, tocsindPort: Int, replacing changes: [(String, String)] = []) throws -> String {
        var text = try String(contentsOf: TocsinBuild.repository.appendingPathComponent("Deploy/\(name)"), encoding: .utf8)
        for (old, new) in [("127.0.0.1:8080", "127.0.0.1:\(tocsindPort)")] + changes {
            guard text.contains(old) else { throw HarnessFailure("Deploy/\(name) no longer contains \(old)") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }
}

extension RunningProgram {
    /// The port that Prometheus or Alertmanager, started with `--web.listen-address=127.0.0.1:0`,
    /// listens on, from the line it logs. The program binds a port it picked itself, so no other
    /// program can take it between a test choosing it and the program binding it.
    func listeningPort() async throws -> Int {
        var port: Int?
        try await Polling.until("\(name) logs the port it listens on", limit: .seconds(30), state: { self.status() }) {
            try requireRunning()
            let line = output.split(separator: "\n").first { $0.contains(#"msg="Listening on""#) }
            port = line?.split(separator: "address=127.0.0.1:").last.flatMap { Int($0.prefix { $0.isNumber }) }
            return port != nil
        }
        return port ?? 0
    }
}

/// What tocsind says about its incidents and alerts, read through its HTTP API as a user would.
struct TocsindView {
    let daemon: TocsindDaemon
    let token = "demo-chen-wei-token"

    func incidents() async -> [[String: Any]] {
        await daemon.json("/api/v1/incidents", token: token) as? [[String: Any]] ?? []
    }

    func alerts() async -> [[String: Any]] {
        await daemon.json("/api/v1/alerts", token: token) as? [[String: Any]] ?? []
    }

    func alert(_ alertname: String) async -> [String: Any]? {
        await alerts().first { ($0["labels"] as? [String: String])?["alertname"] == alertname }
    }

    /// The first heartbeat, as `GET /api/v1/heartbeats` lists it.
    func heartbeat() async -> [String: Any] {
        (await daemon.json("/api/v1/heartbeats", token: token) as? [[String: Any]])?.first ?? [:]
    }

    func timelineKinds(_ incident: Int) async -> [String] {
        let export = await daemon.json("/api/v1/incidents/\(incident)/timeline", token: token) as? [String: Any]
        return (export?["events"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }

    /// A one-line summary for failure messages.
    func summary() async -> String {
        let incidents = await incidents().map { "#\($0["id"] ?? "?") ack=\($0["acknowledged_by"] ?? "-")" }
        let alerts = await alerts().map { "\($0["dedup_key"] ?? "?") \($0["status"] ?? "?") x\($0["receive_count"] ?? "?")" }
        return "incidents \(incidents), alerts \(alerts)"
    }
}
