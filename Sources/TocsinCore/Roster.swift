import Foundation

/// Who holds which role, at any moment.
///
/// Every role has a primary and a backup, each a person or a rotation. Resolving a holder at
/// an instant applies an override of the role, else the rotation's shift and its overrides,
/// then stand-ins, so paging reads the roster in force at the moment a step is due.
public struct Roster: Sendable, Hashable {
    public var people: [String: Person]
    public var roles: [Role: RoleHolders]
    public var rotations: [String: Rotation]
    public var standIns: [StandIn]
    /// Someone holding a role for a while in place of whoever would, later ones winning.
    public var roleOverrides: [RoleOverride]

    public init(people: [Person], roles: [Role: RoleHolders], rotations: [Rotation] = [], standIns: [StandIn] = [],
                roleOverrides: [RoleOverride] = []) {
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.roles = roles
        self.rotations = Dictionary(rotations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.standIns = standIns
        self.roleOverrides = roleOverrides
    }

    /// The person holding `role` as `holder` at `instant`, if anyone does.
    public func person(holding role: Role, as holder: Holder, at instant: Date) -> Person? {
        onCall(role, holder, at: instant)?.person
    }

    /// Who holds `role` as `holder` at `instant`, and how the roster came to name them.
    public func onCall(_ role: Role, _ holder: Holder, at instant: Date) -> OnCall? {
        guard let reference = reference(role, holder, at: instant) else { return nil }
        guard case .person(let id) = reference, roleOverride(role, holder, at: instant) != nil else {
            return resolve(reference, at: instant)
        }
        guard var onCall = resolve(.person(id), at: instant) else { return nil }
        onCall.via.insert("override of \(role).\(holder.rawValue)", at: 0)
        return onCall
    }

    /// What names the holder of `role` as `holder` at `instant`: an override in force, else the configured holder.
    func reference(_ role: Role, _ holder: Holder, at instant: Date) -> HolderReference? {
        guard let holders = roles[role] else { return nil }
        if let override = roleOverride(role, holder, at: instant) { return .person(override.person) }
        return holder == .primary ? holders.primary : holders.backup
    }

    private func roleOverride(_ role: Role, _ holder: Holder, at instant: Date) -> RoleOverride? {
        roleOverrides.last { $0.role == role && $0.holder == holder && $0.covers(instant) }
    }

    /// Resolves a person or rotation reference at `instant`, applying stand-ins.
    public func resolve(_ reference: HolderReference, at instant: Date) -> OnCall? {
        let scheduled: String?
        var via: [String] = []
        switch reference {
        case .person(let id):
            scheduled = id
        case .rotation(let id):
            let rotation = rotations[id]
            let shift = rotation?.shift(at: instant)
            scheduled = rotation?.holder(at: instant, scheduled: shift?.member)
            via.append("rotation \(id)")
            if let shift, let holder = scheduled, holder != shift.member {
                via.append("override for \(shift.member)")
            }
        }
        guard var id = scheduled else { return nil }
        var seen: Set<String> = [id]
        while let standIn = standIns.last(where: { $0.person == id && $0.covers(instant) }), seen.insert(standIn.standIn).inserted {
            via.append("stand-in for \(id)")
            id = standIn.standIn
        }
        guard let person = people[id] else { return nil }
        return OnCall(person: person, via: via)
    }

    /// Resolves an escalation target to people at `instant`, skipping references that name nobody.
    public func people(for target: EscalationTarget, at instant: Date) -> [Person] {
        switch target {
        case .role(let role, let holder):
            return person(holding: role, as: holder, at: instant).map { [$0] } ?? []
        case .person(let id):
            return resolve(.person(id), at: instant).map { [$0.person] } ?? []
        case .rotation(let id):
            return resolve(.rotation(id), at: instant).map { [$0.person] } ?? []
        }
    }
}

extension Roster {
    /// Roles a person may hold: named as primary or backup, or a member of a rotation that is.
    public func roles(of personID: String) -> [Role] {
        func names(_ reference: HolderReference) -> Bool {
            switch reference {
            case .person(let id): id == personID
            case .rotation(let id): rotations[id]?.members.contains(personID) == true
            }
        }
        return roles.filter { names($0.value.primary) || names($0.value.backup) }.map(\.key).sorted()
    }
}

/// Someone holding a role as its primary or backup for a while, whoever holds it otherwise.
public struct RoleOverride: Sendable, Hashable {
    public var role: Role
    public var holder: Holder
    public var person: String
    public var start: Date
    public var end: Date

    public init(role: Role, holder: Holder, person: String, start: Date, end: Date) {
        self.role = role
        self.holder = holder
        self.person = person
        self.start = start
        self.end = end
    }

    public func covers(_ instant: Date) -> Bool { start <= instant && instant < end }
}

/// The two holders of a role.
public struct RoleHolders: Sendable, Hashable {
    public var primary: HolderReference
    public var backup: HolderReference

    public init(primary: HolderReference, backup: HolderReference) {
        self.primary = primary
        self.backup = backup
    }

    /// Both holders named as people.
    public init(primary: String, backup: String) {
        self.init(primary: .person(primary), backup: .person(backup))
    }
}

/// What holds a role: a person, or a rotation whose shifts decide who.
public enum HolderReference: Sendable, Hashable, CustomStringConvertible {
    case person(String)
    case rotation(String)

    /// Parses `ID` (a person) or `rotation:ID`.
    public init(text: String) {
        self = text.hasPrefix("rotation:") ? .rotation(String(text.dropFirst("rotation:".count))) : .person(text)
    }

    public var description: String {
        switch self {
        case .person(let id): id
        case .rotation(let id): "rotation:\(id)"
        }
    }
}

/// A person on call, and the path from the role to them (rotation, override, stand-in).
public struct OnCall: Sendable, Hashable {
    public var person: Person
    public var via: [String]

    public init(person: Person, via: [String]) {
        self.person = person
        self.via = via
    }
}
