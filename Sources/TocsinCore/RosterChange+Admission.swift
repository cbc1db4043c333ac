import Foundation

/// A change to the roster someone asks for, before Tocsin has weighed it.
public enum RosterChangeRequest: Sendable, Hashable {
    /// `person` holds `target` until `end`, from `start` (default: now).
    case override(target: OverrideTarget, person: String, start: Date?, end: Date, reason: String?)
    /// `standIn` covers `person` until `end`, from `start` (default: now).
    case standIn(person: String, standIn: String, start: Date?, end: Date, reason: String?)
    /// The asker offers their shift of `rotation` that covers `mine` for `other`'s that covers `theirs`.
    case swap(rotation: String, mine: Date, with: String, theirs: Date, reason: String?)
}

/// Why a roster change was refused.
public enum RosterChangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request names something that does not exist or makes no sense.
    case invalid(String)
    /// The asker may not make it.
    case forbidden(String)
    case notFound(Int64)
    /// It cannot move from where it stands (accepting a withdrawn swap, say).
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let text), .forbidden(let text), .conflict(let text): text
        case .notFound(let id): "There is no roster change \(id). GET /api/v1/roster/changes lists them."
        }
    }
}

extension Roster {
    /// The longest a single change may last.
    public static let longestChange: TimeInterval = 92 * 86_400

    /// Weighs `request` from `actor` at `now` against this roster (the one in force): the
    /// change to store, or why not. Who may: the person concerned, the primary of a role
    /// concerned, and the leadership group; a swap is proposed by one of its two people and
    /// waits for the other. A start in the past counts from now: a change never rewrites
    /// whom a step already paged.
    public func admit(_ request: RosterChangeRequest, by actor: String, now: Date) throws(RosterChangeError) -> RosterChange {
        guard people[actor] != nil else { throw .forbidden("\(actor) is not in Contacts/; only people there may change the roster.") }
        switch request {
        case .override(let target, let person, let start, let end, let reason):
            let (from, until) = try span(start, end, now: now)
            try requirePerson(person, role: "person")
            let roles: [Role]
            let replaced: String?
            switch target {
            case .role(let role, let holder):
                guard self.roles[role] != nil else { throw .invalid("There is no role \"\(role)\"; known roles: \(knownRoles).") }
                roles = [role]
                replaced = onCall(role, holder, at: from)?.person.id
            case .rotation(let id):
                guard let rotation = rotations[id] else { throw .invalid("There is no rotation \"\(id)\"; known rotations: \(knownRotations).") }
                roles = self.roles.filter { $0.value.primary == .rotation(id) || $0.value.backup == .rotation(id) }.map(\.key).sorted()
                replaced = rotation.holder(at: from)
            }
            guard replaced != person else { throw .invalid("\(person) already holds \(target) at \(UTCTime.string(from)).") }
            guard people[person]?.isReachable == true else {
                throw .invalid("\(person) has no working contact method: an override to them would leave \(target) unpaged.")
            }
            try require(actor, among: [person] + (replaced.map { [$0] } ?? []), orPrimaryOf: roles, now: now, doing: "put \(person) on \(target)")
            return RosterChange(kind: .override(target: target, person: person), start: from, end: until, reason: try checked(reason),
                                requestedBy: actor, requestedAt: now)
        case .standIn(let person, let standIn, let start, let end, let reason):
            let (from, until) = try span(start, end, now: now)
            try requirePerson(person, role: "person")
            try requirePerson(standIn, role: "stand_in")
            guard person != standIn else { throw .invalid("\(person) cannot stand in for themselves.") }
            guard people[standIn]?.isReachable == true else {
                throw .invalid("\(standIn) has no working contact method: pages for \(person) would reach nobody.")
            }
            try require(actor, among: [person], orPrimaryOf: roles(of: person), now: now, doing: "name a stand-in for \(person)")
            return RosterChange(kind: .standIn(person: person, standIn: standIn), start: from, end: until, reason: try checked(reason),
                                requestedBy: actor, requestedAt: now)
        case .swap(let id, let mine, let other, let theirs, let reason):
            guard let rotation = rotations[id] else { throw .invalid("There is no rotation \"\(id)\"; known rotations: \(knownRotations).") }
            try requirePerson(other, role: "with")
            guard other != actor else { throw .invalid("A swap is between two people; \(actor) cannot swap with themselves.") }
            guard let ownShift = rotation.shift(at: mine), ownShift.member == actor else {
                throw .forbidden("\(actor) has no shift of rotation \(id) at \(UTCTime.string(mine)); a swap is proposed by one of the two people whose shifts they are.")
            }
            guard let otherShift = rotation.shift(at: theirs), otherShift.member == other else {
                throw .invalid("\(other) has no shift of rotation \(id) at \(UTCTime.string(theirs)).")
            }
            guard ownShift.end > now, otherShift.end > now else { throw .invalid("A shift that is over cannot be swapped.") }
            guard people[other]?.isReachable == true, people[actor]?.isReachable == true else {
                throw .invalid("Both people of a swap need a working contact method.")
            }
            let swap = ShiftSwap(rotation: id, proposer: actor, proposerShift: ownShift, other: other, otherShift: otherShift)
            return RosterChange(kind: .swap(swap), start: min(ownShift.start, otherShift.start), end: max(ownShift.end, otherShift.end),
                                reason: try checked(reason), requestedBy: actor, requestedAt: now, status: .proposed)
        }
    }

    /// `change` accepted by `actor`: only the other person of a proposed swap may.
    public func accept(_ change: RosterChange, by actor: String, now: Date) throws(RosterChangeError) -> RosterChange {
        guard case .swap(let swap) = change.kind else { throw .conflict("Roster change \(change.id) is not a swap; only swaps wait for acceptance.") }
        guard change.status == .proposed else { throw .conflict("Swap \(change.id) is \(change.status.rawValue.replacingOccurrences(of: "_", with: " ")), not waiting for acceptance.") }
        guard actor == swap.other else { throw .forbidden("Only \(swap.other) may accept swap \(change.id); a swap needs both people.") }
        guard swap.proposerShift.end > now, swap.otherShift.end > now else { throw .conflict("Swap \(change.id) came too late: a shift in it is over.") }
        var accepted = change
        accepted.status = .inForce
        accepted.acceptedBy = actor
        accepted.acceptedAt = now
        return accepted
    }

    /// `change` withdrawn by `actor`: whoever asked for it, a person it names, or the leadership
    /// group. A swap's other person declines it this way.
    public func cancel(_ change: RosterChange, by actor: String, now: Date) throws(RosterChangeError) -> RosterChange {
        guard change.status != .cancelled else { throw .conflict("Roster change \(change.id) is already withdrawn.") }
        guard change.end > now else { throw .conflict("Roster change \(change.id) is already over.") }
        guard actor == change.requestedBy || change.people.contains(actor) || isLeadership(actor) else {
            throw .forbidden("Only \(([change.requestedBy] + change.people).uniqued.joined(separator: ", ")) or the leadership group may withdraw roster change \(change.id).")
        }
        var cancelled = change
        cancelled.status = .cancelled
        cancelled.cancelledBy = actor
        cancelled.cancelledAt = now
        return cancelled
    }

    private var knownRoles: String { roles.keys.sorted().map(\.rawValue).joined(separator: ", ") }
    private var knownRotations: String { rotations.isEmpty ? "none" : rotations.keys.sorted().joined(separator: ", ") }

    func isLeadership(_ person: String) -> Bool { roles(of: person).contains(.leadership) }

    private func requirePerson(_ id: String, role field: String) throws(RosterChangeError) {
        guard people[id] != nil else { throw .invalid("\(field): there is no person \"\(id)\" in Contacts/.") }
    }

    /// `actor` is one of `people`, holds one of `roles` as primary now, or is in the leadership group.
    private func require(_ actor: String, among people: [String], orPrimaryOf roles: [Role], now: Date, doing act: String) throws(RosterChangeError) {
        if people.contains(actor) || isLeadership(actor) { return }
        if roles.contains(where: { person(holding: $0, as: .primary, at: now)?.id == actor }) { return }
        let primaries = roles.isEmpty ? "" : ", the primary of \(roles.map(\.rawValue).joined(separator: " or "))"
        throw .forbidden("\(actor) may not \(act): only \(people.uniqued.joined(separator: " or "))\(primaries) or the leadership group may.")
    }

    private func span(_ start: Date?, _ end: Date, now: Date) throws(RosterChangeError) -> (Date, Date) {
        let from = max(start ?? now, now)
        guard end > from else { throw .invalid("end (\(UTCTime.string(end))) must come after the start (\(UTCTime.string(from))).") }
        guard end.timeIntervalSince(from) <= Self.longestChange else {
            throw .invalid("A roster change lasts at most \(Int(Self.longestChange / 86_400)) days; change Contacts/ for longer ones.")
        }
        return (from, end)
    }

    private func checked(_ reason: String?) throws(RosterChangeError) -> String? {
        guard let reason, !reason.isEmpty else { return nil }
        guard reason.count <= 500 else { throw .invalid("reason is at most 500 characters.") }
        return reason
    }
}

private extension Array where Element == String {
    var uniqued: [String] {
        var seen: Set<String> = []
        return filter { seen.insert($0).inserted }
    }
}
