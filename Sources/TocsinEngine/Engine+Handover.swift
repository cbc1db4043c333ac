import Foundation
import TocsinCore
import TocsinStore

extension Engine {
    /// Stores the handover of `request.role` that `actor`, its outgoing primary, writes now,
    /// with the open incidents and their stages filled in from the record.
    public func writeHandover(_ request: HandoverRequest, by actor: String) throws -> Handover {
        let rules = rules
        let now = clock.now()
        let handover = try store.writeHandover(now: now) { incidents, written in
            try rules.roster.handover(request, by: actor, now: now, incidents: incidents, written: written, rules: rules.handover)
        }
        poke()
        return handover
    }

    /// The handover `actor` would write of `role` now, not stored: the shift change, who takes
    /// over, and the open incidents with their stage, for a form to start from.
    public func handoverDraft(of role: Role, by actor: String) throws -> Handover {
        let rules = rules
        return try rules.roster.handover(HandoverRequest(role: role), by: actor, now: clock.now(), incidents: try store.incidents(),
                                         written: try store.handovers(changingAfter: clock.now().addingTimeInterval(-86_400)), rules: rules.handover)
    }

    /// `actor`, the incoming person, acknowledges handover `id`; its clock stops.
    public func acknowledgeHandover(_ id: Int64, by actor: String) throws -> Handover {
        let roster = rules.roster
        let now = clock.now()
        return try store.acknowledgeHandover(id, now: now) { try roster.acknowledge($0, by: actor, now: now) }
    }

    /// Plans the next start of every role's shift from the roster in force, in place of the
    /// timers planned before: at start, after a roster change or a reload, and after a shift
    /// start has fired.
    public func planShiftStarts() throws {
        let rules = rules
        try store.planShiftStarts(ShiftStart.plan(rules.roster, after: clock.now(), rules: rules.handover))
        poke()
    }
}
