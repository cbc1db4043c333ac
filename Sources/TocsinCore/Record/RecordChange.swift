import Foundation

/// One write a decision asks for. The core works out what an alert, a timer or a command
/// changes as a list of these; a store writes them in order, in one transaction, each in its
/// own dialect. Nothing in this list depends on which database holds the record.
public enum RecordChange: Sendable, Hashable {
    /// Append an event to the incident's timeline.
    case event(TimelineEntry)
    /// Put a page in the outbox (unless its idempotency key is there already) and record that
    /// it was queued.
    case page(PageRequest, queued: TimelineEntry)
    /// Put notices in the outbox, keyed by the event appended just before them.
    case notice(NoticeRequest)
    case timer(TimerRequest)
    case cancelTimers(TimerSelection)
    /// Bring a pending timer forward to `to`.
    case moveTimer(id: Int64, to: Date)
    /// Moves every timer of `kind` on `incident` to `to`.
    case postponeTimers(incident: Int64, kind: TimerKind, to: Date)
    case escalation(EscalationState)
    /// Set or clear who acknowledged the incident and when.
    case acknowledgement(incident: Int64, at: Date?, by: String?)
    /// Cancel the incident's pages not yet sent (notices still go).
    case cancelUnsentPages(incident: Int64)
    case severity(incident: Int64, Severity)
    /// The incident's firing alerts are held by the silence.
    case silenceAlerts(incident: Int64, silence: Int64)
    /// Append an entry to Tocsin's own timeline (a shift's start, a handover unacknowledged).
    case systemEvent(SystemEvent)
    /// A drill's script makes `person` silent: added to the incident's `silentInDrill`, and
    /// every page or notice of the incident not yet sent to them is cancelled.
    case drillSilent(incident: Int64, person: String)

    /// The page this change queues, if it queues one.
    public var queuedPage: PageRequest? {
        if case .page(let page, _) = self { page } else { nil }
    }
}
