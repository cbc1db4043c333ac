/// Who holds which emergency role.
///
/// Every role has a primary and a backup; paging reads the roster to turn an escalation
/// step's targets into people.
public struct Roster: Sendable, Hashable {
    public var people: [String: Person]
    public var roles: [Role: RoleHolders]

    public init(people: [Person], roles: [Role: RoleHolders]) {
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.roles = roles
    }

    /// The person holding `role` as `holder`, if the roster names one.
    public func person(holding role: Role, as holder: Holder) -> Person? {
        guard let holders = roles[role] else { return nil }
        let id = holder == .primary ? holders.primary : holders.backup
        return people[id]
    }

    /// Resolves an escalation target to people, skipping references that name nobody.
    public func people(for target: EscalationTarget) -> [Person] {
        switch target {
        case .role(let role, let holder):
            return person(holding: role, as: holder).map { [$0] } ?? []
        case .person(let id):
            return people[id].map { [$0] } ?? []
        }
    }

    /// Roles a person holds, primary or backup.
    public func roles(of personID: String) -> [Role] {
        roles.filter { $0.value.primary == personID || $0.value.backup == personID }.map(\.key).sorted()
    }
}

/// The two people who hold a role.
public struct RoleHolders: Sendable, Hashable, Codable {
    public var primary: String
    public var backup: String

    public init(primary: String, backup: String) {
        self.primary = primary
        self.backup = backup
    }
}
