import CCurl
import Foundation

/// A fixed set of dedicated threads that run blocking libcurl transfers.
///
/// libcurl's easy interface blocks its thread for the whole transfer. Running it on Swift's
/// cooperative threads, or on Dispatch's (which share the same small budget), would starve
/// the very server a transfer may be waiting on. These threads are Tocsin's own, so at most
/// `count` transfers run at once and nothing else waits behind them. Each thread keeps one
/// curl handle for its life, so connections to a receiver are reused between pages.
final class TransferWorkers: @unchecked Sendable {
    static let shared = TransferWorkers(count: 32)

    private let condition = NSCondition()
    private var jobs: [@Sendable (UnsafeMutableRawPointer?) -> Void] = []

    init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "tocsin-transfer-\(index)"
            thread.start()
        }
    }

    /// Runs `job` on a transfer thread with that thread's curl handle (reset, ready for options).
    func run<T: Sendable>(_ job: @escaping @Sendable (UnsafeMutableRawPointer?) -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            jobs.append { handle in continuation.resume(returning: job(handle)) }
            condition.signal()
            condition.unlock()
        }
    }

    private func work() {
        let handle = curl_easy_init()
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            if let handle { curl_easy_reset(handle) }
            job(handle)
        }
    }
}
