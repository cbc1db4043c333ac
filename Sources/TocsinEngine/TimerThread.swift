import Foundation

/// A task executor with one thread of its own, on which the timer loop runs.
///
/// Firing on the deadline needs the timer loop to run the moment its sleep ends. On Swift's
/// small cooperative pool it would queue behind whatever page deliveries are resuming at
/// that moment; on its own thread, which the kernel wakes promptly after a sleep, it does not.
final class TimerThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(name: String) {
        let thread = Thread { [unowned self] in self.work() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
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
