import Hummingbird

/// A Hummingbird application a test runs in its own process, and the port it serves on.
///
/// Waiting for `onServerRunning` alone waits forever when `run()` throws before the server
/// is up (its port is taken, say). Here the wait also ends when the application stops, with
/// a `HarnessFailure` saying why, and after a time limit at the latest.
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
        _ make: (_ onListening: @escaping @Sendable (Int) async -> Void) -> App
    ) async throws -> RunningApplication {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        let app = make { continuation.yield(.serving(port: $0)) }
        let task = Task {
            do {
                try await app.run()
                continuation.yield(.stopped(nil))
            } catch {
                continuation.yield(.stopped(error))
                throw error
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
