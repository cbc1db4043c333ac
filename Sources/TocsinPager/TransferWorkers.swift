import CCurl
import Foundation

/// A fixed set of dedicated threads that run libcurl transfers.
///
/// A transfer blocks its thread until the answer comes. Running it on Swift's cooperative
/// threads, or on Dispatch's (which share the same small budget), would starve the very
/// server a transfer may be waiting on. These threads are Tocsin's own, so at most `count`
/// transfers run at once and nothing else waits behind them. Each thread keeps its curl
/// handles for its life, so connections to a receiver are reused between pages.
///
/// A job goes to the thread that went idle last: when pages come one at a time, one thread,
/// its cache and its open connection do all the work, instead of each page waking a thread
/// (and a connection) that has sat idle since the last `count` pages. When a thread is idle,
/// the job's first half (setting up and sending the request) runs at once on the caller's
/// thread with that thread's handles; the transfer thread wakes only to wait for the answer,
/// while the request is already on its way.
final class TransferWorkers: @unchecked Sendable {
    static let shared = TransferWorkers(count: 32)

    /// One thread's curl handles: an easy handle driven through its own multi handle, so a
    /// transfer can be started on one thread and finished on another.
    struct Handles: @unchecked Sendable {
        let easy: UnsafeMutableRawPointer?
        let multi: UnsafeMutableRawPointer?
    }

    /// A transfer in two halves. `begin` sets the handles up and starts it, on the caller's
    /// thread when a transfer thread is idle. `finish` runs on the transfer thread until the
    /// transfer is over; what it returns runs once that thread waits for work again, and hands
    /// the result over: the caller's next job then finds that same thread free.
    struct Job: Sendable {
        var begin: @Sendable (Handles) -> Void
        var finish: @Sendable (Handles) -> @Sendable () -> Void
    }

    /// One thread's mailbox: the job handed to it while it waits, already begun.
    private final class Worker: @unchecked Sendable {
        let wake = DispatchSemaphore(value: 0)
        let handles = Handles(easy: curl_easy_init(), multi: curl_multi_init())
        var job: Job?
    }

    private let lock = NSLock()
    /// Jobs waiting for a thread, oldest first; not begun.
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

    /// Starts `job`: begun here when a thread is idle, finished on that thread.
    func start(_ job: Job) {
        lock.lock()
        guard let worker = idle.popLast() else {
            queued.append(job)
            return lock.unlock()
        }
        worker.job = job
        lock.unlock()
        // The worker waits on its semaphore and touches its handles only once signalled.
        job.begin(worker.handles)
        worker.wake.signal()
    }

    /// The next job for `worker` and whether it is begun, once `finished` (the last job's
    /// hand-over) has run: a queued one, or the one handed to it while it waits.
    private func nextJob(for worker: Worker, after finished: (@Sendable () -> Void)?) -> (Job, begun: Bool) {
        lock.lock()
        if !queued.isEmpty {
            let job = queued.removeFirst()
            lock.unlock()
            finished?()
            return (job, false)
        }
        idle.append(worker)
        lock.unlock()
        finished?()
        worker.wake.wait()
        lock.lock()
        defer { lock.unlock() }
        let job = worker.job!
        worker.job = nil
        return (job, true)
    }

    private func work(as worker: Worker) {
        // Deliveries yield the processor to the timer loop: a deadline is never late because
        // pages are being sent. (On Linux a thread's nice value is its own.)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        var finished: (@Sendable () -> Void)?
        while true {
            let (job, begun) = nextJob(for: worker, after: finished)
            if !begun { job.begin(worker.handles) }
            finished = job.finish(worker.handles)
            if let easy = worker.handles.easy { curl_easy_reset(easy) }
        }
    }
}
