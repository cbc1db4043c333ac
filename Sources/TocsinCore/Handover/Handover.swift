import Foundation

/// A shift handed over in writing, as the emergency plan asks: the outgoing holder of a role
/// lists the matters in progress, those done, the open to-dos and the incidents still open
/// with their stage; the incoming holder acknowledges it. Whatever the outgoing person leaves
/// out stays theirs, so the record keeps both signatures and their times.
public struct Handover: Sendable, Hashable {
    /// Zero until the record has stored it.
    public var id: Int64
    public var role: Role
    public var outgoing: String
    public var incoming: String
    /// When the role's primary passes from `outgoing` to `incoming`.
    public var shiftChange: Date
    public var writtenAt: Date
    public var inProgress: [String]
    public var done: [String]
    public var toDo: [String]
    /// The incidents open when it was written, with their stage then.
    public var incidents: [HandoverIncident]
    /// Unacknowledged by then, the incoming person is paged, then the role's backup.
    public var acknowledgementDue: Date
    public var acknowledgedAt: Date?

    public init(id: Int64 = 0, role: Role, outgoing: String, incoming: String, shiftChange: Date, writtenAt: Date, inProgress: [String] = [],
                done: [String] = [], toDo: [String] = [], incidents: [HandoverIncident] = [], acknowledgementDue: Date, acknowledgedAt: Date? = nil) {
        self.id = id
        self.role = role
        self.outgoing = outgoing
        self.incoming = incoming
        self.shiftChange = shiftChange
        self.writtenAt = writtenAt
        self.inProgress = inProgress
        self.done = done
        self.toDo = toDo
        self.incidents = incidents
        self.acknowledgementDue = acknowledgementDue
        self.acknowledgedAt = acknowledgedAt
    }

    public var isAcknowledged: Bool { acknowledgedAt != nil }

    /// The entry on Tocsin's own timeline that records it as it now stands.
    public func auditEvent(at instant: Date) -> SystemEvent {
        var detail = ["handover": "\(id)", "role": role.rawValue, "outgoing": outgoing, "incoming": incoming,
                      "shift_change": UTCTime.string(shiftChange), "incidents": HandoverIncident.summary(incidents)]
        guard let acknowledgedAt else {
            detail["by"] = outgoing
            detail["acknowledgement_due"] = UTCTime.string(acknowledgementDue)
            detail["in_progress"] = "\(inProgress.count)"
            detail["done"] = "\(done.count)"
            detail["to_do"] = "\(toDo.count)"
            return SystemEvent(at: instant, kind: "handover_written", detail: detail)
        }
        detail["by"] = incoming
        detail["acknowledged_at"] = UTCTime.string(acknowledgedAt)
        return SystemEvent(at: instant, kind: "handover_acknowledged", detail: detail)
    }
}

/// An incident open at a handover, as the record had it then, with the outgoing person's word on it.
public struct HandoverIncident: Sendable, Hashable, Codable {
    public var id: Int64
    public var title: String
    public var severity: Severity
    public var stage: Stage
    public var drill: Bool?
    public var note: String?

    public init(_ incident: Incident, note: String? = nil) {
        self.id = incident.id
        self.title = incident.title
        self.severity = incident.severity
        self.stage = incident.stage
        self.drill = incident.isDrill ? true : nil
        self.note = note
    }

    /// The open ones among `incidents`, oldest first: what a handover or a shift's start lists.
    public static func open(_ incidents: [Incident], notes: [Int64: String] = [:]) -> [HandoverIncident] {
        incidents.filter { $0.stage != .closed }.sorted { $0.id < $1.id }.map { HandoverIncident($0, note: notes[$0.id]) }
    }

    /// "#1 [sev1] assessing, #4 [sev2] recovering", or "none".
    static func summary(_ incidents: [HandoverIncident]) -> String {
        incidents.isEmpty ? "none" : incidents.map { "#\($0.id) [\($0.severity)] \($0.stage.rawValue)" }.joined(separator: ", ")
    }

    /// One line a person reads.
    var line: String {
        "#\(id) [\(severity)] \(drill == true ? "\(DrillMark.word) " : "")\(title) (\(stage.rawValue))" + (note.map { ": \($0)" } ?? "")
    }
}
