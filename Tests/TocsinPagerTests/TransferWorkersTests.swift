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
}

/// A count shared by concurrent jobs.
private final class Tally: Sendable {
    let count = Mutex(0)
}
