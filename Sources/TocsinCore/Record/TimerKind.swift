import Foundation

/// What a timer does when it comes due. Timers are rows with an absolute due time, so a
/// deadline survives a restart and fires on time on whichever instance takes it.
public enum TimerKind: String, Sendable, Hashable, CaseIterable {
    /// Page escalation step `step` of pass `pass` of the incident unless it is acknowledged.
    case escalation
    /// Re-classify the alert, whose severity rises with how long it lasts.
    case severityReview = "severity_review"
    /// Page the incident again from the start if its acknowledgement is not followed by resolution.
    case acknowledgementTimeout = "ack_timeout"
    /// Remind the owner of update `subject` that it is due soon.
    case updateReminder = "update_reminder"
    /// Update `subject` is due now; if this fires, it was missed.
    case updateDue = "update_due"
    /// Update `subject` is still missing after the grace: tell leadership.
    case updateEscalation = "update_escalation"
    /// A procedure deadline (`subject`) has passed.
    case deadline
    /// The silence ends: incidents it held that still fire start paging.
    case silenceEnd = "silence_end"
    /// The heartbeat was not checked in on time: raise its alert.
    case heartbeatMissed = "heartbeat_missed"
    /// A drill script's injection (`subject`, as JSON) comes due.
    case drillInjection = "drill_injection"
    /// Handover `subject` is not acknowledged: page its incoming person (step 0), then the role's backup (step 1).
    case handoverMissed = "handover_missed"
    /// Role `subject`'s primary changes hands now: tell the incoming person, and plan the next one.
    case shiftStart = "shift_start"
}

/// A timer a decision schedules: what it is about and when it is due.
public struct TimerRequest: Sendable, Hashable {
    public var kind: TimerKind
    public var dueAt: Date
    public var incidentID: Int64?
    public var alertID: Int64?
    public var step: Int?
    public var pass: Int
    public var subject: String?
    public var silenceID: Int64?
    public var heartbeat: String?

    public init(_ kind: TimerKind, dueAt: Date, incidentID: Int64? = nil, alertID: Int64? = nil, step: Int? = nil, pass: Int = 0,
                subject: String? = nil, silenceID: Int64? = nil, heartbeat: String? = nil) {
        self.kind = kind
        self.dueAt = dueAt
        self.incidentID = incidentID
        self.alertID = alertID
        self.step = step
        self.pass = pass
        self.subject = subject
        self.silenceID = silenceID
        self.heartbeat = heartbeat
    }
}

/// Which pending timers a decision cancels.
public enum TimerSelection: Sendable, Hashable {
    /// The incident's timers of these kinds.
    case incident(Int64, kinds: [TimerKind])
    /// The incident's timers of these kinds about `subject` (one update cadence, one deadline).
    case subject(String, incident: Int64, kinds: [TimerKind])
    /// Every timer of the incident.
    case everyTimer(incident: Int64)
    /// Every timer of the incident but its regulators' report clocks, which outlive its closing.
    case everyTimerButReports(incident: Int64)
    /// The alert's pending severity review.
    case severityReview(alert: Int64)
    /// The heartbeat's pending deadline.
    case heartbeat(String)
    /// The silence's end.
    case silenceEnd(Int64)
    /// The acknowledgement clock of a handover.
    case handover(Int64)
    /// Every planned shift start.
    case shiftStarts
}
