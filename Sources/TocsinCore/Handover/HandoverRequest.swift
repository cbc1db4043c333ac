import Foundation

/// What the outgoing holder of a role writes before Tocsin has weighed it; the open incidents
/// are filled in from the record, each with its stage, and `notes` adds a word on any of them.
public struct HandoverRequest: Sendable, Hashable {
    public var role: Role
    public var inProgress: [String]
    public var done: [String]
    public var toDo: [String]
    public var notes: [Int64: String]

    public init(role: Role, inProgress: [String] = [], done: [String] = [], toDo: [String] = [], notes: [Int64: String] = [:]) {
        self.role = role
        self.inProgress = inProgress
        self.done = done
        self.toDo = toDo
        self.notes = notes
    }
}

/// Why a handover, or its acknowledgement, was refused.
public enum HandoverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request names something that does not exist or makes no sense.
    case invalid(String)
    /// The asker may not do it.
    case forbidden(String)
    case notFound(Int64)
    /// It cannot move from where it stands (a second acknowledgement, a second handover of one shift).
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let text), .forbidden(let text), .conflict(let text): text
        case .notFound(let id): "There is no handover \(id). GET /api/v1/handovers lists them."
        }
    }
}

/// How handovers are timed: how long after the shift change the incoming person has to
/// acknowledge before being paged (and as long again before the role's backup is), how far
/// ahead of it the outgoing one may write, and how far ahead shift starts are planned.
public struct HandoverRules: Sendable, Hashable {
    public var acknowledgeWithin: Duration
    public var writeAhead: Duration
    public var planAhead: Duration

    public init(acknowledgeWithin: Duration = .seconds(15 * 60), writeAhead: Duration = .seconds(12 * 3600), planAhead: Duration = .seconds(35 * 86_400)) {
        self.acknowledgeWithin = acknowledgeWithin
        self.writeAhead = writeAhead
        self.planAhead = planAhead
    }
}
