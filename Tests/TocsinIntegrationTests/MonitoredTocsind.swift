import Foundation
import Synchronization
import TocsinTestSupport

/// The real tocsind on a folder of its own, paging a receiver in the test process, and the
/// monitoring programs a test starts beside it: what every real-program test sets up first.
/// `stop()` ends every program and removes the folder.
final class MonitoredTocsind: Sendable {
    let pages: LoopbackListener
    let folder: DaemonFolder
    let daemon: TocsindDaemon
    let view: TocsindView
    private let programs: Mutex<[RunningProgram]>

    /// Starts tocsind on `port` once `prepare` has edited its folder, and waits until it serves.
    static func start(port: Int? = nil, prepare: (DaemonFolder) throws -> Void = { _ in }) async throws -> MonitoredTocsind {
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try port ?? LoopbackPort.free(), listenerPort: pages.port)
        try prepare(folder)
        let stack = MonitoredTocsind(pages: pages, folder: folder, daemon: try TocsindDaemon(folder))
        do {
            try await stack.daemon.waitUntilServing()
        } catch {
            stack.stop()
            throw error
        }
        return stack
    }

    private init(pages: LoopbackListener, folder: DaemonFolder, daemon: TocsindDaemon) {
        self.pages = pages
        self.folder = folder
        self.daemon = daemon
        view = TocsindView(daemon: daemon)
        programs = Mutex([daemon.program])
    }

    /// Keeps `program` to be stopped with the rest.
    @discardableResult
    func adopt(_ program: RunningProgram) -> RunningProgram {
        programs.withLock { $0.append(program) }
        return program
    }

    func stop() {
        for program in programs.withLock({ $0 }) { program.stop() }
        folder.remove()
    }
}
