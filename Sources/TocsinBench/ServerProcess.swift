import Foundation
import TocsinPager

/// A server under test, run as its own process: tocsind or Alertmanager.
/// Driven by the benchmark's one sequential flow; never shared between concurrent tasks.
final class ServerProcess: @unchecked Sendable {
    let name: String
    let executable: String
    let arguments: [String]
    let readyURL: String
    private(set) var process: Process?

    init(name: String, executable: String, arguments: [String], readyURL: String) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.readyURL = readyURL
    }

    /// Starts the process and returns how long it took to answer its readiness check.
    @discardableResult
    func start() async throws -> Duration {
        let started = ContinuousClock.now
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<4000 {
            guard process.isRunning else {
                throw BenchError("\(name) exited at start (status \(process.terminationStatus)); is its port taken by a leftover process?")
            }
            if await HTTPTransfer(url: readyURL, connectTimeout: .milliseconds(200), timeout: .milliseconds(500)).send().status == 200 {
                return ContinuousClock.now - started
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchError("\(name) did not become ready at \(readyURL)")
    }

    /// SIGKILL, as a crash would.
    func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Resident memory in MiB, from /proc.
    var residentMiB: Double {
        guard let pid = process?.processIdentifier,
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }

    /// CPU seconds used so far (user + system), from /proc.
    var cpuSeconds: Double {
        guard let pid = process?.processIdentifier,
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based) of the whole line.
        let utime = Double(fields[11]) ?? 0, stime = Double(fields[12]) ?? 0
        return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Share of one core used over `window` while nothing is sent to it.
    func idleCPU(over window: Duration) async throws -> Double {
        let before = cpuSeconds
        try await Task.sleep(for: window)
        return (cpuSeconds - before) / window.seconds
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}
