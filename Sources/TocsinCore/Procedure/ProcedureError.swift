/// Why the procedure refuses a command. Each message says what to do instead.
public enum ProcedureError: Error, Sendable, Hashable, CustomStringConvertible {
    case illegalTransition(from: Stage, to: Stage, allowed: [Stage])
    case missing(String, stage: Stage)
    case notPermitted(actor: String, action: String, allowed: String)
    case sameApprover(String)
    case notInStage(action: String, stage: Stage, expected: [Stage])
    case invalid(String)
    case closed
    /// A drill's script keeps this person silent: their commands do not count.
    case silentInDrill(String)

    public var description: String {
        switch self {
        case .illegalTransition(let from, let to, let allowed):
            let next = allowed.isEmpty ? "nothing: it is closed" : allowed.map(\.rawValue).joined(separator: " or ")
            return "An incident in \(from.rawValue) cannot move to \(to.rawValue); from \(from.rawValue) it can move to \(next)."
        case .missing(let what, let stage):
            return "To leave \(stage.rawValue), record \(what) first."
        case .notPermitted(let actor, let action, let allowed):
            return "\(actor) may not \(action); that takes \(allowed)."
        case .sameApprover(let person):
            return "\(person) proposed stopping trading and cannot also approve it: a second member of the leadership group must approve."
        case .notInStage(let action, let stage, let expected):
            return "Cannot \(action) while the incident is \(stage.rawValue); that is done in \(expected.map(\.rawValue).joined(separator: " or "))."
        case .invalid(let reason):
            return reason
        case .closed:
            return "The incident is closed; nothing more can be recorded on it."
        case .silentInDrill(let person):
            return "\(DrillSilence.reason(person)); nothing they record counts until the drill ends."
        }
    }

    /// Whether a drill keeps this refusal on its timeline for its scorecard (`gate_refused`):
    /// every refusal of the procedure's gates and checks, but not a command on a closed drill
    /// nor one from a person its script keeps silent, which are not the team's attempts.
    public var isKeptOnDrill: Bool {
        switch self {
        case .closed, .silentInDrill: false
        default: true
        }
    }
}
