import Foundation
import TocsinCore
import TocsinStore

extension Engine {
    /// How far back the roster changes are read: a step overdue after a restart still resolves
    /// its people at its own due time, with the changes in force then.
    static let rosterLookBack: TimeInterval = 86_400

    /// Lays the roster changes of the record over the configured roster: at start, after a
    /// change here, and before each firing of timers, so a change made through another
    /// instance counts for every step not yet fired.
    /// The shift starts are planned again whenever the changes differ, and at the first call.
    public func refreshRosterChanges() throws {
        let changes = try store.rosterChanges(endingAfter: clock.now().addingTimeInterval(-Self.rosterLookBack))
        let planned = shiftStartsPlanned.withLock { planned in
            defer { planned = true }
            return planned
        }
        guard !planned || changes != current.changes else { return }
        current.replace(changes: changes)
        try planShiftStarts()
    }

    /// Makes the roster change `actor` asks for, if the roster in force allows it; in force at
    /// once for every step not yet fired.
    public func changeRoster(_ request: RosterChangeRequest, by actor: String) throws -> RosterChange {
        let change = try rules.roster.admit(request, by: actor, now: clock.now())
        let stored = try store.addRosterChange(change)
        try refreshRosterChanges()
        return stored
    }

    /// `actor` accepts the swap `id` proposed to them.
    public func acceptRosterChange(_ id: Int64, by actor: String) throws -> RosterChange {
        try updateRosterChange(id) { roster, change, now in try roster.accept(change, by: actor, now: now) }
    }

    /// `actor` withdraws roster change `id` (or declines a swap proposed to them).
    public func cancelRosterChange(_ id: Int64, by actor: String) throws -> RosterChange {
        try updateRosterChange(id) { roster, change, now in try roster.cancel(change, by: actor, now: now) }
    }

    private func updateRosterChange(_ id: Int64, _ decide: @escaping (Roster, RosterChange, Date) throws -> RosterChange) throws -> RosterChange {
        let now = clock.now()
        let roster = rules.roster
        let changed = try store.updateRosterChange(id, now: now) { try decide(roster, $0, now) }
        try refreshRosterChanges()
        return changed
    }
}
