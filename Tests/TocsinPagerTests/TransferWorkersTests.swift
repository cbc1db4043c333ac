import Foundation
import Synchronization
import Testing
@testable import TocsinPager

/// Which transfer thread, and so which curl handle with its open connections, takes a page.
@Suite struct TransferWorkersTests {
    /// Each thread's curl handle, as a number: the same handle means the same connections.
    static func handle(_ pointer: UnsafeMutableRawPointer?) -> Int { Int(bitPattern: pointer) }

    @Test func pagesSentOneAtATimeAllGoThroughOneHandle() async {
        let workers = TransferWorkers(count: 8)
        // As in a running tocsind: every thread started and waiting.
        let deadline = Date().addingTimeInterval(10)
        while workers.idleThreads < 8, Date() < deadline { try? await Task.sleep(for: .milliseconds(1)) }
        var handles: Set<Int> = []
        for _ in 0..<40 {
            handles.insert(await workers.run { Self.handle($0) })
        }
        #expect(handles.count == 1, "a receiver paged one page at a time sees one connection, not one per thread")
    }

    @Test func pagesSentTogetherEachGetAThreadOfTheirOwn() async {
        let workers = TransferWorkers(count: 8)
        // Each job waits until all four are running, so none can finish and take another's turn.
        let started = Tally()
        let handles = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    await workers.run { pointer in
                        started.count.withLock { $0 += 1 }
                        let deadline = Date().addingTimeInterval(10)
                        while started.count.withLock({ $0 }) < 4, Date() < deadline { usleep(1_000) }
                        return Self.handle(pointer)
                    }
                }
            }
            return await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(handles.count == 4)
        #expect(started.count.withLock { $0 } == 4)
    }

    /// The request of a page leaves from the thread that asked for it while a transfer thread
    /// wakes to wait for the answer; with every thread busy, the thread that takes the job sends it.
    @Test func anIdleThreadsJobIsBegunByTheCallerAndFinishedOnTheTransferThread() async {
        let workers = TransferWorkers(count: 1)
        let deadline = Date().addingTimeInterval(10)
        while workers.idleThreads < 1, Date() < deadline { try? await Task.sleep(for: .milliseconds(1)) }
        let calls = Calls()
        let gate = DispatchSemaphore(value: 0)
        let caller = Thread {
            calls.callerThread.withLock { $0 = Calls.currentThread }
            workers.start(calls.job("first", holding: gate))
            // The only thread is busy with the first job: the second waits for it, not begun.
            while calls.log.withLock({ $0.count }) < 2 { usleep(1_000) }
            workers.start(calls.job("second"))
            gate.signal()
        }
        caller.start()
        while calls.done.withLock({ $0 }) < 2, Date() < deadline { try? await Task.sleep(for: .milliseconds(1)) }
        let callerThread = calls.callerThread.withLock { $0 }
        let log = calls.log.withLock { $0 }.map { ($0.step, $0.thread == callerThread ? "caller" : "transfer thread") }
        #expect(log.map { "\($0.0) on \($0.1)" } == ["first begun on caller", "first finished on transfer thread",
                                                      "second begun on transfer thread", "second finished on transfer thread"])
    }
}

extension TransferWorkers {
    /// Runs `job` on a transfer thread with that thread's easy handle (reset, ready for options).
    func run<T: Sendable>(_ job: @escaping @Sendable (UnsafeMutableRawPointer?) -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(Job(begin: { _ in }, finish: { handles in
                let result = job(handles.easy)
                return { continuation.resume(returning: result) }
            }))
        }
    }
}

/// What two-part jobs did, and on which threads.
private final class Calls: Sendable {
    let log = Mutex<[(step: String, thread: UInt)]>([])
    let done = Mutex(0)
    let callerThread = Mutex<UInt>(0)

    static var currentThread: UInt { UInt(pthread_self()) }

    /// A job that logs its halves; its finish waits for `gate` when given.
    func job(_ name: String, holding gate: DispatchSemaphore? = nil) -> TransferWorkers.Job {
        TransferWorkers.Job(
            begin: { _ in self.log.withLock { $0.append(("\(name) begun", Self.currentThread)) } },
            finish: { _ in
                self.log.withLock { $0.append(("\(name) finished", Self.currentThread)) }
                gate?.wait()
                return { self.done.withLock { $0 += 1 } }
            })
    }
}

/// A count shared by concurrent jobs.
private final class Tally: Sendable {
    let count = Mutex(0)
}
