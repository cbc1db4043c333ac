import Foundation

/// An incident with its events in order, as `GET /api/v1/incidents/{id}/timeline` returns it.
public struct IncidentTimeline: Sendable, Codable {
    public var incident: Incident
    public var events: [TimelineEvent]

    public init(incident: Incident, events: [TimelineEvent]) {
        self.incident = incident
        self.events = events
    }
}
