import Foundation

extension Roster {
    /// The roster in force: this one with every change still in force laid over it, later
    /// changes winning over earlier ones and over what `Contacts/` says. A proposed swap
    /// changes nothing until it is accepted; a withdrawn change, nothing at all.
    public func applying(_ changes: [RosterChange]) -> Roster {
        var roster = self
        for change in changes.sorted(by: { $0.id < $1.id }) where change.status == .inForce {
            switch change.kind {
            case .override(.role(let role, let holder), let person):
                roster.roleOverrides.append(RoleOverride(role: role, holder: holder, person: person, start: change.start, end: change.end))
            case .override(.rotation(let id), let person):
                roster.rotations[id]?.overrides.append(Override(person: person, start: change.start, end: change.end))
            case .standIn(let person, let standIn):
                roster.standIns.append(StandIn(person: person, standIn: standIn, start: change.start, end: change.end, reason: change.reason))
            case .swap(let swap):
                roster.rotations[swap.rotation]?.overrides.append(contentsOf: [
                    Override(person: swap.other, start: swap.proposerShift.start, end: swap.proposerShift.end, replacing: swap.proposer),
                    Override(person: swap.proposer, start: swap.otherShift.start, end: swap.otherShift.end, replacing: swap.other),
                ])
            }
        }
        return roster
    }
}
