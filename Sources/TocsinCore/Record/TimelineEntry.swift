import Foundation

/// An event a decision appends to an incident's timeline. The store that writes it gives it
/// its place in the chain (sequence and hashes), under the incident's lock.
public struct TimelineEntry: Sendable, Hashable {
    public var incidentID: Int64
    public var kind: TimelineEventKind
    public var actor: String
    public var at: Date
    public var detail: [String: String]

    public init(_ kind: TimelineEventKind, incident: Int64, actor: String = "tocsin", at: Date, detail: [String: String] = [:]) {
        self.incidentID = incident
        self.kind = kind
        self.actor = actor
        self.at = at
        self.detail = detail
    }

    /// True for an entry about a message of no incident (`PageRequest.noIncident`): it goes on the system timeline.
    public var isSystemWide: Bool { incidentID == PageRequest.noIncident }

    /// The entry as it stands on the system timeline.
    public var systemEvent: SystemEvent {
        var detail = self.detail
        if actor != "tocsin" { detail["actor"] = actor }
        return SystemEvent(at: at, kind: kind.rawValue, detail: detail)
    }

    /// The entry chained after `previous` (nil for an incident's first event).
    public func chained(sequence: Int, previousHash: String) -> TimelineEvent {
        TimelineEvent(incidentID: incidentID, sequence: sequence, at: at, kind: kind, actor: actor, detail: detail, previousHash: previousHash)
    }
}
