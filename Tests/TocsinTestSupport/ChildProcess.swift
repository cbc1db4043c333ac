import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A program a test starts, through `posix_spawn`.
///
/// Foundation's `Process.run()` on Linux reads `/proc/self/fd` past the end of its buffer and
/// crashes the test process now and then when many descriptors are open (database connections,
/// listeners, page transfers); swift-corelibs-foundation fixed it after this toolchain. The
/// child gets none of the test process's descriptors beyond the three standard ones, and the
/// default handling of every signal.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// The wait status once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable`; its standard output and error go to the file at `outputPath`
    /// (created or truncated), or nowhere when it is nil. Standard input is /dev/null.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, outputPath: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = Self.closeFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { variables.forEach { free($0) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard status == 0 else { throw HarnessFailure("cannot start \(executable): \(String(cString: strerror(status)))") }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module leaves out.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self) }

    /// Runs `executable` to its end and returns its exit status and what it wrote to standard
    /// output and error together.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-output-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess(executable, arguments, environment: environment, outputPath: output)
        child.waitUntilExit()
        return (child.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// `run` from a task: the wait goes on a thread of its own (see `onOwnThread`).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> (status: Int32, output: String) {
        try await onOwnThread { try run(executable, arguments, environment: environment) }
    }

    public var isRunning: Bool {
        reaped.withLock { status in
            guard status == nil else { return false }
            var waited: Int32 = 0
            let result = waitpid(pid, &waited, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) { status = waited }
            return status == nil
        }
    }

    public func waitUntilExit() {
        while isRunning { usleep(5_000) }
    }

    /// The exit code, or 128 plus the signal that ended it, as a shell reports it; -1 while it runs.
    public var terminationStatus: Int32 {
        guard let status = reaped.withLock({ $0 }) else { return -1 }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    public func signal(_ number: Int32) {
        guard isRunning else { return }
        Glibc.kill(pid, number)
    }
}
