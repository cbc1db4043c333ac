import Foundation

/// Wakes the timer loop at a wall-clock deadline, or earlier when signalled, by blocking its
/// own thread on a condition variable.
///
/// `Task.sleep` goes through Dispatch, which lets a timer fire up to a tenth of its delay (and
/// at least a millisecond) late to save power; a deadline engine cannot afford that. The timer
/// loop has a thread of its own (`LoopThread`), so blocking it costs nothing else.
final class TimerAlarm: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false
    /// Until when the loop waits; nil while it is awake.
    private var waitingUntil: Date?

    func signal() {
        signal(dueAt: .distantPast)
    }

    /// Signals unless the loop waits and will wake by `due` anyway: something new is due then.
    func signal(dueAt due: Date) {
        condition.lock()
        defer { condition.unlock() }
        if let waitingUntil, waitingUntil <= due { return }
        pending = true
        condition.signal()
    }

    /// Returns at `deadline` (never, when nil, without a signal) or on a signal, whichever is first.
    func wait(until deadline: Date?) {
        condition.lock()
        waitingUntil = deadline ?? .distantFuture
        defer {
            waitingUntil = nil
            condition.unlock()
        }
        while !pending {
            if let deadline {
                if Date() >= deadline { return }
                _ = condition.wait(until: deadline)
            } else {
                condition.wait()
            }
        }
        pending = false
    }
}
