import Foundation
import Testing
import TocsinStore
import TocsinTestSupport

/// The running daemon's threads as `ps -L` shows them: the timer and delivery loops and the
/// alerts' commit thread, which hold the database's writer, run ahead of the request handlers
/// when the system allows it, and the daemon says so when it does not.
@Suite struct DeadlinePriorityTests {
    /// Each thread's name and nice value, from /proc.
    static func threads(of pid: pid_t) throws -> [(name: String, nice: Int)] {
        let tasks = "/proc/\(pid)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap { id in
            guard let stat = try? String(contentsOfFile: "\(tasks)/\(id)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            // After the name: state is field 3 and nice field 19 (1-based) of the whole line.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return (String(stat[stat.index(after: open)..<close]), Int(fields[16]) ?? 0)
        }
    }

    @Test func timersDeliveriesAndCommitsRunAheadOfRequestHandlers() async throws {
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
        defer { folder.remove() }
        let daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()

        let threads = try Self.threads(of: daemon.program.process.pid)
        let deadline = ["tocsin-timers", "tocsin-delivery", "tocsin-commit", "tocsin-wal"]
        for name in deadline {
            #expect(threads.contains { $0.name == name }, "no thread \(name) among \(threads.map(\.name))")
        }
        let handlers = threads.filter { $0.name.hasPrefix("NIO-") }
        #expect(!handlers.isEmpty && handlers.allSatisfy { $0.nice == 0 }, "request handlers: \(handlers)")
        if DeadlinePriority.isAllowed {
            for thread in threads where deadline.contains(thread.name) {
                #expect(thread.nice == Int(DeadlinePriority.nice), "\(thread.name) runs at nice \(thread.nice)")
            }
            #expect(!daemon.program.logTail().contains("run at normal priority"))
        } else {
            #expect(threads.allSatisfy { $0.nice == 0 })
            #expect(daemon.program.logTail().contains("LimitNICE=-10"))
        }
    }
}
