import Foundation

/// Runs blocking work (starting a database server, waiting on a child program) on a thread of
/// its own, and awaits it without holding one of the few threads that run Swift's tasks. On a
/// 2-core machine two tests blocking there would stall every in-process server meanwhile, and a
/// page sent to one of them would time out.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
