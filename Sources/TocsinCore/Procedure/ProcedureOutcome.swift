import Foundation

/// What a command does: the new stage and record, the events to append, and the effects
/// the store and engine carry out in the same transaction (or, for calls out, right after).
public struct ProcedureOutcome: Sendable, Hashable {
    public var stage: Stage
    public var record: ProcedureRecord
    public var events: [ProcedureEvent] = []
    public var effects: [ProcedureEffect] = []

    public init(stage: Stage, record: ProcedureRecord) {
        self.stage = stage
        self.record = record
    }
}

/// A timeline event a command appends.
public struct ProcedureEvent: Sendable, Hashable {
    public var kind: TimelineEventKind
    public var detail: [String: String]
    /// Who the event is recorded as made by, when that is not whoever gave the command: trading
    /// stopped by the leadership member whose approval set off the call, not by the call's answer.
    public var actor: String?

    public init(_ kind: TimelineEventKind, _ detail: [String: String] = [:], by actor: String? = nil) {
        self.kind = kind
        self.detail = detail
        self.actor = actor
    }
}

/// Something beyond the record that a command sets off.
public enum ProcedureEffect: Sendable, Hashable {
    /// Tell the roles that must know that the stage changed (internal people before external).
    case noticeStageChange(from: Stage, to: Stage, by: String?)
    /// Start the root-cause-and-plan deadline.
    case startAssessmentDeadline(due: Date)
    /// The plan is in: the deadline is met.
    case stopAssessmentDeadline
    /// An update was posted: its clock starts over from now (or stops, for a one-off report).
    case restartCadence(UpdateKind)
    /// Call the platform's trade switch; its answer comes back as `recordTradeSwitch`.
    case callTradeSwitch(stop: Bool)
    /// Page these targets at once with `message`: something needs people now.
    case pageLoudly([EscalationTarget], message: String)
    /// The incident closed: every clock on it stops.
    case stopAllClocks
}
