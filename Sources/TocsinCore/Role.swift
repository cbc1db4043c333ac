/// An emergency role from the plan, or a custom one a team adds.
///
/// A role is a name; who holds it is the roster's business.
public struct Role: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }

    public static let leadership = Role("leadership")
    public static let business = Role("business")
    public static let technicalCoordinator = Role("technical_coordinator")
    /// The incident commander.
    public static let faultAnalyst = Role("fault_analyst")
    public static let technicalExecutors = Role("technical_executors")
    /// Post-incident reviewers: may export incidents and read response figures.
    public static let reviewer = Role("reviewer")

    /// The five roles every emergency plan has.
    public static let emergencyRoles: [Role] = [.leadership, .business, .technicalCoordinator, .faultAnalyst, .technicalExecutors]

    public var description: String { rawValue }
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Which of a role's two holders is meant.
public enum Holder: String, Sendable, Codable, Hashable {
    case primary
    case backup
}
