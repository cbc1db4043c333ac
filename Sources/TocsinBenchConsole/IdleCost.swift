import Foundation
import TocsinCore
import TocsinTestSupport

/// What open console pages cost `tocsind` while nothing happens: its processor time (from
/// /proc) over a window with no stream open, then with `sessions` live timelines of the
/// incident open, then with as many live incident lists.
struct IdleCost {
    let daemon: TocsindDaemon
    let cookie: String
    let after: Int

    func measure(sessions: Int, window: Duration) async throws -> (window: Duration, shares: [(String, Double)]) {
        var shares: [(String, Double)] = []
        shares.append(("none", try await share(over: window)))
        for (name, path) in [("\(sessions) live timelines of the incident", "/incidents/1/live?after=\(after)"), ("\(sessions) live incident lists", "/live/incidents?after=1")] {
            let opening = ContinuousClock.now
            let streams = try await onOwnThread {
                try (0..<sessions).map { _ in
                    let stream = try EventStreamSocket(port: daemon.folder.port, path: path, cookie: cookie)
                    guard stream.read(until: "retry: 2000", within: .seconds(60)) else { throw BenchFailure("a stream did not start within 60 s") }
                    return stream
                }
            }
            print("idle: \(name) open after \(String(format: "%.1f", (ContinuousClock.now - opening).seconds)) s")
            try await Task.sleep(for: .seconds(2))
            shares.append((name, try await share(over: window)))
            print("idle: \(name) measured")
            withExtendedLifetime(streams) {}
            // Closed at once here; the daemon notices when it next writes to them.
            try await Task.sleep(for: .seconds(20))
        }
        return (window, shares)
    }

    private func share(over window: Duration) async throws -> Double {
        let before = try cpuSeconds()
        let started = ContinuousClock.now
        try await Task.sleep(for: window)
        return (try cpuSeconds() - before) / (ContinuousClock.now - started).seconds
    }

    /// User and system time of the daemon so far, from /proc/PID/stat.
    private func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(daemon.program.process.pid)/stat", encoding: .utf8)
        guard let close = stat.lastIndex(of: ")") else { throw BenchFailure("unreadable /proc stat") }
        // After the command name come the state (field 3) and, at 14 and 15, user and system time.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
