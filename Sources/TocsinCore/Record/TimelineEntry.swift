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

    /// The entry chained after `previous` (nil for an incident's first event).
    public func chained(sequence: Int, previousHash: String) -> TimelineEvent {
        TimelineEvent(incidentID: incidentID, sequence: sequence, at: at, kind: kind, actor: actor, detail: detail, previousHash: previousHash)
    }
}
