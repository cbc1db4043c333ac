import CCurl
import Foundation

/// A fixed set of dedicated threads that run blocking libcurl transfers.
///
/// libcurl's easy interface blocks its thread for the whole transfer. Running it on Swift's
/// cooperative threads, or on Dispatch's (which share the same small budget), would starve
/// the very server a transfer may be waiting on. These threads are Tocsin's own, so at most
/// `count` transfers run at once and nothing else waits behind them. Each thread keeps one
/// curl handle for its life, so connections to a receiver are reused between pages.
///
/// A job goes to the thread that went idle last: when pages come one at a time, one thread,
/// its cache and its open connection do all the work, instead of each page waking a thread
/// (and a connection) that has sat idle since the last `count` pages.
final class TransferWorkers: @unchecked Sendable {
    static let shared = TransferWorkers(count: 32)

    /// A transfer; what it returns runs once its thread waits for work again, and hands the
    /// result over: the caller's next job then finds that same thread free.
    typealias Job = @Sendable (UnsafeMutableRawPointer?) -> @Sendable () -> Void

    /// One thread's mailbox: the job handed to it while it waits.
    private final class Worker: @unchecked Sendable {
        let wake = DispatchSemaphore(value: 0)
        var job: Job?
    }

    private let lock = NSLock()
    /// Jobs waiting for a thread, oldest first.
    private var queued: [Job] = []
    /// Threads waiting for a job, the most recently idle last.
    private var idle: [Worker] = []

    init(count: Int) {
        for index in 0..<count {
            let worker = Worker()
            let thread = Thread { [unowned self] in self.work(as: worker) }
            thread.name = "tocsin-transfer-\(index)"
            thread.start()
        }
    }

    /// How many threads wait for a job.
    var idleThreads: Int { lock.withLock { idle.count } }

    /// Runs `job` on a transfer thread with that thread's curl handle (reset, ready for options).
    func run<T: Sendable>(_ job: @escaping @Sendable (UnsafeMutableRawPointer?) -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(job) { continuation.resume(returning: $0) }
        }
    }

    /// Starts `job` on a transfer thread and hands its result to `done`, on that thread.
    func start<T: Sendable>(_ job: @escaping @Sendable (UnsafeMutableRawPointer?) -> T, then done: @escaping @Sendable (T) -> Void) {
        submit { handle in
            let result = job(handle)
            return { done(result) }
        }
    }

    private func submit(_ job: @escaping Job) {
        lock.lock()
        guard let worker = idle.popLast() else {
            queued.append(job)
            return lock.unlock()
        }
        worker.job = job
        lock.unlock()
        worker.wake.signal()
    }

    /// The next job for `worker`, once `finished` (the last job's hand-over) has run: a queued
    /// one, or the one handed to it while it waits.
    private func nextJob(for worker: Worker, after finished: (@Sendable () -> Void)?) -> Job {
        lock.lock()
        if !queued.isEmpty {
            let job = queued.removeFirst()
            lock.unlock()
            finished?()
            return job
        }
        idle.append(worker)
        lock.unlock()
        finished?()
        worker.wake.wait()
        lock.lock()
        defer { lock.unlock() }
        let job = worker.job!
        worker.job = nil
        return job
    }

    private func work(as worker: Worker) {
        // Deliveries yield the processor to the timer loop: a deadline is never late because
        // pages are being sent. (On Linux a thread's nice value is its own.)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        let handle = curl_easy_init()
        var finished: (@Sendable () -> Void)?
        while true {
            let job = nextJob(for: worker, after: finished)
            if let handle { curl_easy_reset(handle) }
            finished = job(handle)
        }
    }
}
