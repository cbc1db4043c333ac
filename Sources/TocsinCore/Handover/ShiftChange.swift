import Foundation

/// A moment a role's primary passes from one person to another: a rotation's handoff, or an
/// override or stand-in starting or ending.
public struct ShiftChange: Sendable, Hashable {
    public var role: Role
    public var at: Date
    /// Nil when nobody could be paged before it.
    public var outgoing: String?
    public var incoming: String
}

extension Roster {
    /// The changes of hands of `role`'s primary after `start` and before `end`, in order.
    public func shiftChanges(of role: Role, from start: Date, to end: Date) -> [ShiftChange] {
        var previous = person(holding: role, as: .primary, at: start)?.id
        var found: [ShiftChange] = []
        for instant in changes(from: start, to: end) where instant > start {
            let holder = person(holding: role, as: .primary, at: instant)?.id
            if let holder, holder != previous { found.append(ShiftChange(role: role, at: instant, outgoing: previous, incoming: holder)) }
            previous = holder
        }
        return found
    }
}
