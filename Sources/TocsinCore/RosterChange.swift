import Foundation

/// A change to who is on call made while Tocsin runs, without touching `Contacts/`: someone
/// holds a role or a rotation's shift for a while (an override), someone stepping away names
/// who covers them (a stand-in), or two members trade shifts (a swap, in force only once the
/// other one accepts). The record keeps who asked, who agreed and who withdrew it, and when;
/// the roster in force is the configured one with every change in force laid over it.
public struct RosterChange: Sendable, Hashable {
    /// What is changed.
    public enum Kind: Sendable, Hashable {
        /// `person` holds the role or the rotation from `start` to `end`.
        case override(target: OverrideTarget, person: String)
        /// Wherever `person` would be paged from `start` to `end`, `standIn` is paged instead.
        case standIn(person: String, standIn: String)
        /// Two members of a rotation each hold the other's shift.
        case swap(ShiftSwap)
    }

    /// Where a change stands: a swap waits for the other person; any change may be withdrawn.
    public enum Status: String, Sendable, Hashable, Codable {
        case proposed
        case inForce = "in_force"
        case cancelled
    }

    /// Zero until the record has stored it.
    public var id: Int64
    public var kind: Kind
    public var start: Date
    public var end: Date
    public var reason: String?
    public var requestedBy: String
    public var requestedAt: Date
    public var status: Status
    public var acceptedBy: String?
    public var acceptedAt: Date?
    public var cancelledBy: String?
    public var cancelledAt: Date?

    public init(id: Int64 = 0, kind: Kind, start: Date, end: Date, reason: String? = nil, requestedBy: String, requestedAt: Date,
                status: Status = .inForce) {
        self.id = id
        self.kind = kind
        self.start = start
        self.end = end
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
    }

    /// The people the change names: who takes over and who is replaced or covered.
    public var people: [String] {
        switch kind {
        case .override(_, let person): [person]
        case .standIn(let person, let standIn): [person, standIn]
        case .swap(let swap): [swap.proposer, swap.other]
        }
    }

    /// True while it changes who is paged: in force, and `instant` before its end.
    public func matters(at instant: Date) -> Bool {
        status != .cancelled && end > instant
    }
}

/// What an override puts someone on: a role's primary or backup, or a rotation's shifts.
public enum OverrideTarget: Sendable, Hashable, CustomStringConvertible {
    case role(Role, Holder)
    case rotation(String)

    public var description: String {
        switch self {
        case .role(let role, let holder): "\(role).\(holder.rawValue)"
        case .rotation(let id): "rotation:\(id)"
        }
    }
}

/// Two members of one rotation trading shifts: `proposer` holds `otherShift` and `other`
/// holds `proposerShift`.
public struct ShiftSwap: Sendable, Hashable {
    public var rotation: String
    public var proposer: String
    public var proposerShift: Shift
    public var other: String
    public var otherShift: Shift

    public init(rotation: String, proposer: String, proposerShift: Shift, other: String, otherShift: Shift) {
        self.rotation = rotation
        self.proposer = proposer
        self.proposerShift = proposerShift
        self.other = other
        self.otherShift = otherShift
    }
}

extension RosterChange: CustomStringConvertible {
    /// One line a person reads: "li.na holds fault_analyst.primary".
    public var description: String {
        switch kind {
        case .override(let target, let person):
            "\(person) holds \(target)"
        case .standIn(let person, let standIn):
            "\(standIn) stands in for \(person)"
        case .swap(let swap):
            "\(swap.proposer) and \(swap.other) swap shifts of rotation \(swap.rotation) "
                + "(\(UTCTime.string(swap.proposerShift.start)) and \(UTCTime.string(swap.otherShift.start)))"
        }
    }

    /// The entry on Tocsin's own timeline that records this change as it now stands.
    public func auditEvent(at instant: Date) -> SystemEvent {
        let kind: String
        let actor: String
        switch status {
        case .cancelled:
            kind = "roster_change_cancelled"
            actor = cancelledBy ?? requestedBy
        case .proposed:
            kind = "roster_swap_proposed"
            actor = requestedBy
        case .inForce:
            switch self.kind {
            case .override: kind = "roster_override"
            case .standIn: kind = "roster_stand_in"
            case .swap: kind = "roster_swap_accepted"
            }
            actor = acceptedBy ?? requestedBy
        }
        var detail = ["change": "\(id)", "by": actor, "what": description, "start": UTCTime.string(start), "end": UTCTime.string(end)]
        if let reason { detail["reason"] = reason }
        return SystemEvent(at: instant, kind: kind, detail: detail)
    }
}
