import Foundation

/// Where an incident's escalation stands: which pass through its policy (repeats and
/// acknowledgement timeouts start new passes), when that pass started, the last step fired,
/// and who must still acknowledge when that step asked for everyone.
public struct EscalationState: Sendable, Hashable {
    public var incidentID: Int64
    public var pass: Int
    /// Why the pass started: `open`, `restart`, `repeat` or `ack_timeout`.
    public var passReason: String
    /// Step offsets of this pass count from here.
    public var epoch: Date
    public var repeatsDone: Int
    /// The last step fired in this pass, -1 before the first.
    public var step: Int
    public var awaiting: [String]

    public init(incidentID: Int64, pass: Int, passReason: String, epoch: Date, repeatsDone: Int, step: Int, awaiting: [String]) {
        self.incidentID = incidentID
        self.pass = pass
        self.passReason = passReason
        self.epoch = epoch
        self.repeatsDone = repeatsDone
        self.step = step
        self.awaiting = awaiting
    }

    /// The state of an incident whose escalation was never recorded: its first pass.
    public static func firstPass(of incident: Incident) -> EscalationState {
        EscalationState(incidentID: incident.id, pass: 0, passReason: "open", epoch: incident.openedAt, repeatsDone: 0, step: -1, awaiting: [])
    }

    /// When step `index` of this pass is due.
    public func due(ofStep index: Int, in policy: EscalationPolicy) -> Date {
        epoch.addingTimeInterval(policy.offset(ofStep: index).seconds)
    }

    /// The idempotency-key prefix of this pass's step `step`: the first pass keeps the
    /// original `incident-ID/step-N` form.
    public func keyPrefix(step: Int) -> String {
        pass == 0 ? "incident-\(incidentID)/step-\(step)" : "incident-\(incidentID)/pass-\(pass)/step-\(step)"
    }

    /// A new pass through the policy, starting from step 0 with its offsets counted so that
    /// step 0 is due at `start`.
    mutating func beginPass(_ reason: String, at start: Date, policy: EscalationPolicy) {
        pass += 1
        passReason = reason
        epoch = start.addingTimeInterval(-policy.offset(ofStep: 0).seconds)
        step = -1
        awaiting = []
    }
}
