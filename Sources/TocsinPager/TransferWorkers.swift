import Foundation

/// A fixed set of dedicated threads that run blocking libcurl transfers.
///
/// libcurl's easy interface blocks its thread for the whole transfer. Running it on Swift's
/// cooperative threads, or on Dispatch's (which share the same small budget), would starve
/// the very server a transfer may be waiting on. These threads are Tocsin's own, so at most
/// `count` transfers run at once and nothing else waits behind them.
final class TransferWorkers: @unchecked Sendable {
    static let shared = TransferWorkers(count: 32)

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "tocsin-transfer-\(index)"
            thread.start()
        }
    }

    func run<T: Sendable>(_ job: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(returning: job()) }
            condition.signal()
            condition.unlock()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
