import Foundation
import TocsinStore

/// A task executor with one thread of its own, at deadline priority, on which one of the
/// engine's loops runs.
///
/// Firing on the deadline needs the timer loop to run the moment its sleep ends. On Swift's
/// small cooperative pool it would queue behind whatever request handlers are resuming at that
/// moment; on its own thread, which the kernel wakes promptly after a sleep and runs ahead of
/// the request handlers (`DeadlinePriority`), it does not. The delivery loop has one as well:
/// it takes the database's writer to claim pages and record attempts, and a timer due meanwhile
/// waits for it.
final class LoopThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(name: String) {
        Thread { [unowned self] in self.work(name: name) }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work(name: String) {
        DeadlinePriority.adopt(naming: name)
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
