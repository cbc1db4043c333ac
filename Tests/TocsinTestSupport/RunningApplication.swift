import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird application a test runs in its own process, and the port it serves on.
///
/// Waiting for `onServerRunning` alone waits forever when `run()` throws before the server
/// is up (its port is taken, say). Here the wait also ends when the application stops, with
/// a `HarnessFailure` saying why, and after a time limit at the latest.
///
/// Cancelling `task` shuts the server down gracefully rather than cancelling it: a server
/// cancelled while a connection it accepted waits to be served traps in NIO ("Deinited
/// NIOAsyncWriter without calling finish()"), taking the whole test process down.
public struct RunningApplication: Sendable {
    public let port: Int
    /// Runs the application; cancelling it stops the server.
    public let task: Task<Void, any Error>

    private enum Event: Sendable {
        case serving(port: Int)
        case stopped((any Error)?)
        case timedOut
    }

    /// Runs the application `make` builds and returns once it serves. `make` is handed the
    /// callback to pass on as the application's `onServerRunning` (or `onListening`).
    public static func start<App: ApplicationProtocol>(
        _ name: String, limit: Duration = .seconds(30),
        _ make: (_ onListening: @escaping @Sendable (Int) async -> Void) throws -> App
    ) async throws -> RunningApplication {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let app = try make { continuation.yield(.serving(port: $0)) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [],
                                                      logger: Logger(label: "tocsin.test", factory: { _ in SwiftLogNoOpLogHandler() })))
        // Not a child of `task`, so that cancelling `task` reaches it only as a graceful shutdown.
        let serving = Task {
            do {
                try await group.run()
                continuation.yield(.stopped(nil))
            } catch {
                continuation.yield(.stopped(error))
                throw error
            }
        }
        let task = Task {
            try await withTaskCancellationHandler {
                try await serving.value
            } onCancel: {
                Task { await group.triggerGracefulShutdown() }
            }
        }
        let timer = Task {
            try await Task.sleep(for: limit)
            continuation.yield(.timedOut)
        }
        defer {
            timer.cancel()
            continuation.finish()
        }
        for await event in events {
            switch event {
            case .serving(let port):
                return RunningApplication(port: port, task: task)
            case .stopped(let error):
                throw HarnessFailure("\(name) stopped before it served" + (error.map { ": \($0)" } ?? ""))
            case .timedOut:
                task.cancel()
                throw HarnessFailure("\(name) did not serve within \(limit)")
            }
        }
        // The test was cancelled while waiting.
        task.cancel()
        throw CancellationError()
    }

    /// Stops the server and waits until it has.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
