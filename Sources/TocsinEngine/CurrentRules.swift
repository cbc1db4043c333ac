import Foundation
import Synchronization
import TocsinCore
import TocsinPager

/// The rules the daemon works by at this moment, shared by everything that reads them (the
/// engine's loops, the group commit, the routes): the configuration's, with the roster's
/// live changes laid over its roster, and the signing secrets of its people's contact methods.
///
/// A roster change or a reloaded configuration replaces them here in one step; work already
/// under way finishes with the rules it read, and everything after reads the new ones.
public final class CurrentRules: Sendable {
    private struct State {
        var configured: ResponseRules
        var changes: [RosterChange]
        var delivery: PageDelivery
        var effective: ResponseRules
    }

    private let state: Mutex<State>

    public init(configured: ResponseRules, changes: [RosterChange] = [], delivery: PageDelivery) {
        var effective = configured
        effective.roster = configured.roster.applying(changes)
        state = Mutex(State(configured: configured, changes: changes, delivery: delivery, effective: effective))
    }

    /// The rules in force: the configuration's, roster changes included.
    public var rules: ResponseRules { state.withLock { $0.effective } }

    /// The rules as configured, before any roster change.
    public var configured: ResponseRules { state.withLock { $0.configured } }

    /// The roster changes laid over the configured roster.
    public var changes: [RosterChange] { state.withLock { $0.changes } }

    /// How pages are delivered and signed.
    public var delivery: PageDelivery { state.withLock { $0.delivery } }

    /// Lays `changes` over the configured roster from now on.
    public func replace(changes: [RosterChange]) {
        state.withLock { state in
            guard state.changes != changes else { return }
            state.changes = changes
            state.effective.roster = state.configured.roster.applying(changes)
        }
    }

    /// Works by `configured` (and delivers with `delivery`) from now on, keeping the roster changes.
    public func replace(configured: ResponseRules, delivery: PageDelivery) {
        state.withLock { state in
            state.configured = configured
            state.delivery = delivery
            state.effective = configured
            state.effective.roster = configured.roster.applying(state.changes)
        }
    }
}
