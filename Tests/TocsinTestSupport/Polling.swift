import Foundation

/// Waits on a real effect (a page arriving, a process serving) by polling, bounded in both
/// attempts and time; it never asserts on speed, only gives up after a generous limit.
public enum Polling {
    /// Returns once `condition` holds; throws, with `what` and the last `state`, when `limit` passes.
    public static func until(
        _ what: String, limit: Duration = .seconds(60), every interval: Duration = .milliseconds(100),
        state: @Sendable () async -> String = { "" }, _ condition: () async throws -> Bool
    ) async throws {
        let started = ContinuousClock.now
        let attempts = Int(limit / interval) + 1
        for _ in 0..<attempts {
            if try await condition() { return }
            if ContinuousClock.now - started > limit { break }
            try await Task.sleep(for: interval)
        }
        let last = await state()
        throw HarnessFailure("gave up after \(limit) waiting until \(what)\(last.isEmpty ? "" : "; last seen: \(last)")")
    }
}
