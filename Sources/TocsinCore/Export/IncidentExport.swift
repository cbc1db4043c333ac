import Foundation

/// Everything a post-incident review needs about one incident, in one value.
///
/// Built only from the incident, its procedure record and its timeline, so every export
/// format (JSON, CSV, Markdown, HTML) says the same thing. The JSON form is documented by
/// `Deploy/incident-export.schema.json`.
public struct IncidentExport: Sendable, Codable {
    public static let schemaID = "tocsin-incident-export/1"

    public var schema = IncidentExport.schemaID
    public var exportedAt: Date
    public var exportedBy: String
    /// The viewer's IANA zone, in which `local_time` is given.
    public var timeZone: String
    public var incident: Incident
    public var procedure: ProcedureRecord
    public var figures: ResponseTimes
    public var stages: [StageSpan]
    public var events: [ExportedEvent]
    public var pages: [PageOutcome]
    public var updates: [UpdateCompliance]
    public var checklist: [ChecklistLine]

    private enum CodingKeys: String, CodingKey {
        case schema, exportedAt = "exported_at", exportedBy = "exported_by", timeZone = "time_zone", incident, procedure
        case figures, stages, events, pages, updates, checklist
    }

    public init(incident: Incident, record: ProcedureRecord, events: [TimelineEvent], runbook: Runbook?, roster: Roster,
                viewer: TimeZone, exportedBy: String, exportedAt: Date) {
        self.exportedAt = exportedAt
        self.exportedBy = exportedBy
        self.timeZone = viewer.identifier
        self.incident = incident
        self.procedure = record
        self.figures = ResponseTimes(incident: incident, events: events)
        self.stages = StageSpan.spans(openedAt: incident.openedAt, events: events)
        self.events = ExportedEvent.list(events, roster: roster, finalRoles: record.roles, viewer: viewer)
        self.pages = PageOutcome.list(from: events)
        self.updates = UpdateCompliance.list(from: events)
        self.checklist = (runbook?.steps ?? []).enumerated().map { index, text in
            ChecklistLine(step: index + 1, text: text, doneBy: record.checklist[index + 1]?.by, doneAt: record.checklist[index + 1]?.at)
        }
    }

    /// The events as the timeline keeps them, for checking the hash chain.
    public var timelineEvents: [TimelineEvent] {
        events.map { event in
            TimelineEvent(incidentID: incident.id, sequence: event.sequence, at: event.at, kind: event.kind,
                          actor: event.actor, detail: event.detail, previousHash: event.previousHash, hash: event.hash)
        }
    }
}

/// A timeline event as exported: the recorded event plus the viewer's local time and the
/// roles its actor held at that moment.
public struct ExportedEvent: Sendable, Codable, Hashable {
    public var sequence: Int
    public var at: Date
    public var localTime: String
    public var kind: TimelineEventKind
    public var actor: String
    public var actorRoles: [String]
    public var detail: [String: String]
    public var previousHash: String
    public var hash: String

    private enum CodingKeys: String, CodingKey {
        case sequence, at, localTime = "local_time", kind, actor, actorRoles = "actor_roles", detail, previousHash = "previous_hash", hash
    }

    static func list(_ events: [TimelineEvent], roster: Roster, finalRoles: IncidentRoles, viewer: TimeZone) -> [ExportedEvent] {
        var roles = IncidentRoles.atOpening(events) ?? finalRoles
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS xxx"
        formatter.timeZone = viewer
        return events.map { event in
            if event.kind == .roleHandedOver, let role = event.detail["role"].flatMap(IncidentRole.init(rawValue:)), let person = event.detail["to"] {
                roles.assign(role, to: person)
            }
            return ExportedEvent(sequence: event.sequence, at: event.at, localTime: formatter.string(from: event.at), kind: event.kind,
                                 actor: event.actor, actorRoles: actorRoles(event.actor, roles: roles, roster: roster),
                                 detail: event.detail, previousHash: event.previousHash, hash: event.hash)
        }
    }

    private static func actorRoles(_ actor: String, roles: IncidentRoles, roster: Roster) -> [String] {
        guard roster.people[actor] != nil else { return [actor == "tocsin" ? "system" : "alert source"] }
        var names: [String] = []
        if roles.commander == actor { names.append("commander") }
        if roles.coordinator == actor { names.append("coordinator") }
        if roles.businessLead == actor { names.append("business_lead") }
        if roles.executors.contains(actor) { names.append("executor") }
        return names + roster.roles(of: actor).map(\.rawValue)
    }
}

extension IncidentRoles {
    /// The roles as recorded when the incident opened, if the opening event names them.
    static func atOpening(_ events: [TimelineEvent]) -> IncidentRoles? {
        guard let opened = events.first(where: { $0.kind == .incidentOpened }), opened.detail["commander"] != nil else { return nil }
        return IncidentRoles(commander: opened.detail["commander"], coordinator: opened.detail["coordinator"], businessLead: opened.detail["business_lead"],
                             executors: (opened.detail["executors"] ?? "").split(separator: ",").map(String.init))
    }
}

/// One runbook step and who ticked it.
public struct ChecklistLine: Sendable, Codable, Hashable {
    public var step: Int
    public var text: String
    public var doneBy: String?
    public var doneAt: Date?

    private enum CodingKeys: String, CodingKey { case step, text, doneBy = "done_by", doneAt = "done_at" }
}
