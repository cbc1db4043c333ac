import Foundation
import GRDB
import TocsinCore

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

    enum CodingKeys: String, CodingKey {
        case kind, incidentID = "incident_id", severity, summary, stage, subject, message, person
    }
}

/// Queues notices in the page outbox inside the caller's transaction.
enum Notices {
    /// Sends `message` to everyone the targets name, plus `alsoTo`, internal people first.
    /// `cause` is the sequence of the event that prompted it, which makes the idempotency key.
    static func queue(
        to targets: [EscalationTarget], alsoTo extra: [String] = [], incident: Incident, subject: String, message: String,
        cause: Int, roster: Roster, at: Date, in db: Database
    ) throws {
        var seen = Set<String>()
        let people = (targets.flatMap { roster.people(for: $0, at: at) } + extra.compactMap { roster.people[$0] })
            .filter { seen.insert($0.id).inserted }
            .sorted { !$0.isExternal && $1.isExternal }
        for person in people {
            let body = try JSONEncoder().encode(NoticeMessage(
                incidentID: incident.id, severity: incident.severity, summary: incident.title, stage: incident.stage,
                subject: subject, message: message, person: person.id
            ))
            let text = "[\(incident.severity)] Incident \(incident.id): \(incident.title). \(subject): \(message)"
            for method in person.contactMethods where method.problem == nil {
                let key = "incident-\(incident.id)/notice-\(cause)/\(person.id)/\(method.channel)"
                let rendered = PageRendering.request(json: body, text: text, to: method)
                try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO page (incident_id, idempotency_key, person, channel, url, body, status, next_attempt_at, created_at,
                                                audience, kind, flavour, url_template, content_type)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, 'notice', ?, ?, ?)
                    """).execute(arguments: [incident.id, key, person.id, method.channel, rendered.url, rendered.body, at.millis, at.millis,
                                             person.isExternal ? "external" : "internal", method.flavour.rawValue, method.webhookURL, rendered.contentType])
                try Timeline.append(.pageQueued, incident: incident.id, actor: "tocsin", at: at,
                                    detail: ["person": person.id, "channel": method.channel, "purpose": subject,
                                             "audience": person.isExternal ? "external" : "internal", "idempotency_key": key], in: db)
            }
        }
    }
}
