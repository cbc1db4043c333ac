import Crypto
import Foundation

/// One thing that happened to an incident, as the record keeps it.
///
/// Events are appended in the same transaction as the change they record and never
/// edited. Each carries the hash of the one before it, so an edited or deleted event
/// breaks the chain and shows.
public struct TimelineEvent: Sendable, Hashable, Codable {
    public var incidentID: Int64
    /// Position in the incident's timeline, from 1.
    public var sequence: Int
    public var at: Date
    public var kind: TimelineEventKind
    /// Who did it: a person's id, or `tocsin` / a source name for the system's own acts.
    public var actor: String
    public var detail: [String: String]
    public var previousHash: String
    public var hash: String

    /// A new event, hashed over its content and its predecessor's hash.
    public init(incidentID: Int64, sequence: Int, at: Date, kind: TimelineEventKind, actor: String, detail: [String: String], previousHash: String) {
        self.init(incidentID: incidentID, sequence: sequence, at: at, kind: kind, actor: actor, detail: detail, previousHash: previousHash, hash: "")
        self.hash = computedHash()
    }

    /// An event as stored or exported, with the hash it carries (which may not match, if tampered with).
    public init(incidentID: Int64, sequence: Int, at: Date, kind: TimelineEventKind, actor: String, detail: [String: String], previousHash: String, hash: String) {
        self.incidentID = incidentID
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.actor = actor
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    private enum CodingKeys: String, CodingKey {
        case incidentID = "incident_id", sequence, at, kind, actor, detail, previousHash = "previous_hash", hash
    }

    /// The hash the event's content and predecessor give; differs from `hash` when tampered with.
    public func computedHash() -> String {
        var text = "\(previousHash)\n\(incidentID)\n\(sequence)\n\(Self.millis(at))\n\(kind.rawValue)\n\(actor)"
        for key in detail.keys.sorted() {
            text += "\n\(key)=\(detail[key]!)"
        }
        return HexText.string(SHA256.hash(data: Data(text.utf8)))
    }

    /// Hash that precedes an incident's first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// What kind of thing a timeline event records.
public enum TimelineEventKind: String, Sendable, Codable, Hashable, CaseIterable {
    case alertReceived = "alert_received"
    case alertResolved = "alert_resolved"
    case incidentOpened = "incident_opened"
    case severitySet = "severity_set"
    case severityRaised = "severity_raised"
    case escalated
    case pageQueued = "page_queued"
    case pageSent = "page_sent"
    case pageFailed = "page_failed"
    case pageCancelled = "page_cancelled"
    case acknowledged
    case acknowledgedAgain = "acknowledged_again"
    case escalationStopped = "escalation_stopped"
    case stageChanged = "stage_changed"
    case assessmentRecorded = "assessment_recorded"
    case stopTradingProposed = "stop_trading_proposed"
    case stopTradingApproved = "stop_trading_approved"
    case tradeSwitchSucceeded = "trade_switch_succeeded"
    case tradeSwitchFailed = "trade_switch_failed"
    case resumeTradingRequested = "resume_trading_requested"
    case planRecorded = "plan_recorded"
    case planApproved = "plan_approved"
    case operationRecorded = "operation_recorded"
    case serviceRestored = "service_restored"
    case updatePosted = "update_posted"
    case updateReminder = "update_reminder"
    case updateMissed = "update_missed"
    case updateEscalated = "update_escalated"
    case deadlineMet = "deadline_met"
    case deadlineBreached = "deadline_breached"
    case noteAdded = "note_added"
    case reconciliationRecorded = "reconciliation_recorded"
    case exceptionSignedOff = "exception_signed_off"
    case roleHandedOver = "role_handed_over"
    case checklistTicked = "checklist_ticked"
    case exported
    /// Someone classified the incident as major under a regulatory regime; its clocks start.
    case regulatoryDeclared = "regulatory_declared"
    /// A regime's report is due soon; its owner was reminded.
    case reportReminder = "report_reminder"
    /// A regime's report came due without being submitted; leadership was paged.
    case reportMissed = "report_missed"
    /// A regime's report went to the regulator (who, when, the regulator's reference).
    case reportSubmitted = "report_submitted"
    /// A corrected version of a submitted report went to the regulator.
    case reportCorrected = "report_corrected"
    /// The incident opened while a silence or maintenance window covered its alert: recorded, nobody paged.
    case silenced
    /// The silence that held an incident ended while its alert still fired: paging starts.
    case silenceEnded = "silence_ended"
    /// One of several people an "everyone must acknowledge" step paged acknowledged.
    case acknowledgedPartially = "acknowledged_partially"
    /// An acknowledged, unresolved incident's acknowledgement ran out; paging starts again.
    case acknowledgementTimedOut = "acknowledgement_timed_out"
    /// Every contact method of the step's people failed, so the next step came at once.
    case passedOver = "passed_over"
    /// The last step passed unacknowledged and the policy starts again at step 0.
    case escalationRepeated = "escalation_repeated"
    /// A flooded person's pages went out together as one message.
    case pageBundled = "page_bundled"
    /// A drill's script made something go wrong on schedule (a failed call, a silent vendor).
    case drillInjected = "drill_injected"
    /// The procedure refused a command given on a drill; kept for the drill's scorecard.
    case gateRefused = "gate_refused"
    /// A page or notice of a drill was not sent: the drill's script keeps its person silent.
    case pageWithheld = "page_withheld"
}

extension Array where Element == TimelineEvent {
    /// The first event whose hash or link to its predecessor does not match, if any.
    public func firstBrokenLink() -> TimelineEvent? {
        chainProblem()?.event
    }

    /// The first event that breaks the chain, and how: edited content, or a missing,
    /// inserted or reordered event before it.
    public func chainProblem() -> (event: TimelineEvent, reason: String)? {
        var previous = TimelineEvent.genesisHash
        for (index, event) in enumerated() {
            if event.sequence != index + 1 {
                return (event, "expected event \(index + 1) here, found \(event.sequence): an event before it is missing or out of order")
            }
            if event.previousHash != previous {
                return (event, "its previous_hash does not match the event before it: that event was changed, removed or inserted")
            }
            if event.computedHash() != event.hash {
                return (event, "its content does not match its hash: the event was edited")
            }
            previous = event.hash
        }
        return nil
    }
}
