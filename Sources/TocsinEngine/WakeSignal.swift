import Foundation
import Synchronization
import TocsinCore

/// Lets the engine sleep until its next deadline yet wake at once when new work arrives
/// (an alert opened an incident, an acknowledgement came in).
///
/// One waiter at a time: the engine's loop. A signal sent while nobody waits is kept, so
/// work that arrives between two waits is never slept through.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Until when the loop waits; nil while it is awake.
        var waitingUntil: Date?
        /// When a signal asked for by `signal(by:clock:)` is to come, if one is.
        var lookingAt: Date?
    }

    private let state = Mutex(State())

    func signal() {
        signal(dueAt: .distantPast)
    }

    /// Signals unless the loop waits and will wake by `due` anyway: something new is due then.
    func signal(dueAt due: Date) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let until = state.waitingUntil, until <= due { return nil }
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Makes sure the loop looks again by `moment`, without waking it before: a signal then,
    /// unless it will wake by then anyway or another is already to come by then.
    func signal(by moment: Date, clock: any TimeSource) {
        let schedule = state.withLock { state -> Bool in
            if let until = state.waitingUntil, until <= moment { return false }
            if let looking = state.lookingAt, looking <= moment { return false }
            state.lookingAt = moment
            return true
        }
        guard schedule else { return }
        Task {
            try? await clock.sleep(until: moment)
            state.withLock { state in
                if state.lookingAt == moment { state.lookingAt = nil }
            }
            signal(dueAt: moment)
        }
    }

    /// Returns at `deadline`, on a signal, or on cancellation, whichever comes first.
    func wait(until deadline: Date?, clock: any TimeSource) async {
        state.withLock { $0.waitingUntil = deadline ?? .distantFuture }
        defer { state.withLock { $0.waitingUntil = nil } }
        await withTaskGroup(of: Void.self) { group in
            if let deadline {
                group.addTask { try? await clock.sleep(until: deadline) }
            }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
