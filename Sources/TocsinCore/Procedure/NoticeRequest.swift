import Foundation

/// The JSON body of a notice: a page that informs rather than asks for an acknowledgement
/// (a stage change, an update reminder, a failed stop-trade call).
struct NoticeMessage: Encodable {
    var kind = "notice"
    var incidentID: Int64
    var severity: Severity
    var summary: String
    var stage: Stage
    var subject: String
    var message: String
    var person: String
    /// True for a drill's notice; absent otherwise.
    var drill: Bool?

    enum CodingKeys: String, CodingKey {
        case kind, incidentID = "incident_id", severity, summary, stage, subject, message, person, drill
    }
}

/// A notice to several people about something that just happened to an incident. Its pages'
/// idempotency keys name the event that prompted it, whose place in the timeline only the
/// store knows once it has appended that event.
public struct NoticeRequest: Sendable, Hashable {
    public var incident: Incident
    public var subject: String
    public var message: String
    /// Everyone told, internal people before external ones.
    public var people: [Person]
    public var at: Date

    /// A notice to everyone the targets name at `at`, plus `alsoTo`, each person once.
    public init(to targets: [EscalationTarget], alsoTo extra: [String] = [], incident: Incident, subject: String, message: String,
                roster: Roster, at: Date) {
        var seen = Set<String>()
        self.people = (targets.flatMap { roster.people(for: $0, at: at) } + extra.compactMap { roster.people[$0] })
            .filter { seen.insert($0.id).inserted }
            .sorted { !$0.isExternal && $1.isExternal }
        self.incident = incident
        self.subject = subject
        self.message = message
        self.at = at
    }

    /// The pages and their `page_queued` events, for a notice prompted by event `cause`.
    public func changes(cause: Int) -> [RecordChange] {
        var changes: [RecordChange] = []
        let drill = incident.isDrill
        for person in people {
            let body = (try? JSONEncoder().encode(NoticeMessage(
                incidentID: incident.id, severity: incident.severity, summary: DrillMark.marked(incident.title, drill: drill), stage: incident.stage,
                subject: subject, message: DrillMark.marked(message, drill: drill), person: person.id, drill: drill ? true : nil
            ))) ?? Data()
            let text = (drill ? "\(DrillMark.word) " : "") + "[\(incident.severity)] Incident \(incident.id): \(incident.title). \(subject): \(message)"
            for method in person.contactMethods where method.problem == nil {
                let key = "incident-\(incident.id)/notice-\(cause)/\(person.id)/\(method.channel)"
                let page = PageRequest(incidentID: incident.id, idempotencyKey: key, person: person.id, isExternal: person.isExternal, method: method,
                                       rendered: PageRendering.request(json: body, text: text, to: method), kind: .notice, sendAt: at, createdAt: at)
                let queued = TimelineEntry(.pageQueued, incident: incident.id, at: at,
                                           detail: ["person": person.id, "channel": method.channel, "purpose": subject,
                                                    "audience": page.audience, "idempotency_key": key])
                changes.append(incident.keepsSilent(person.id) ? DrillSilence.withheld(queued) : .page(page, queued: queued))
            }
        }
        return changes
    }
}
