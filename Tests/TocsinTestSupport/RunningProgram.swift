import Foundation

/// A program a test started, with its output in a log file, stopped when the test is done
/// (or, as a last resort, when this object goes away), so nothing outlives a failing test.
public final class RunningProgram: @unchecked Sendable {
    public let name: String
    public let process: ChildProcess
    public let logFile: URL
    private let lock = NSLock()
    private var stopped = false

    /// Starts `executable` with `arguments`; its standard output and error go to `logFile`.
    public init(_ name: String, executable: String, arguments: [String], logFile: URL, environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HarnessFailure("\(executable) is missing; `make deps` installs what the tests need")
        }
        self.name = name
        self.logFile = logFile
        process = try ChildProcess(executable, arguments, environment: environment, outputPath: logFile.path)
    }

    public var isRunning: Bool { process.isRunning }

    /// Throws, with the end of its output, once the program has exited: a test waiting on it
    /// then fails at once saying why, instead of at its time limit.
    public func requireRunning() throws {
        guard process.isRunning else { throw HarnessFailure(status()) }
    }

    /// Whether the program runs, and the end of its output, for failure messages.
    public func status(lines: Int = 15) -> String {
        "\(name) \(isRunning ? "runs" : "exited with status \(process.terminationStatus)"); its last output:\n\(logTail(lines: lines))"
    }

    /// The end of the program's output, for failure messages.
    public func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; returns once it has exited.
    public func stop(grace: TimeInterval = 5) {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        guard process.isRunning else { return }
        process.signal(SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    /// `stop` from a task, waiting on a thread of its own (see `onOwnThread`); a `defer`,
    /// which cannot wait for a task, calls the blocking one.
    public func stop(grace: TimeInterval = 5) async {
        _ = try? await onOwnThread { self.stop(grace: grace) }
    }

    /// SIGKILL at once, as a crash would.
    public func kill9() {
        lock.withLock { stopped = true }
        process.signal(SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop(grace: 2) }
}

extension RunningProgram {
    /// Waits (bounded) for the program to exit by itself and returns its exit status; kills it
    /// and throws when it takes longer than `limit`.
    public func exitStatus(within limit: Duration = .seconds(60)) async throws -> Int32 {
        do {
            try await Polling.until("\(name) exits", limit: limit, every: .milliseconds(20)) { !process.isRunning }
        } catch {
            kill9()
            throw error
        }
        return process.terminationStatus
    }

    /// Everything the program wrote.
    public var output: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
}
