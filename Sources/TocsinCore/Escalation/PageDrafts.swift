import Foundation

/// The pages one person gets from one escalation step: one per working contact method, each
/// after its own delay, all carrying the same message and a signed acknowledge link.
enum PageDrafts {
    static func pages(to person: Person, incident: Incident, step: Int, keyPrefix: String, pass: Int, reason: PageReason,
                      rules: ResponseRules, at: Date) -> [RecordChange] {
        let link = rules.ackLinks.sign(incidentID: incident.id, personID: person.id, now: at).url(baseURL: rules.publicURL)
        let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
        let message = PageMessage(
            incidentID: incident.id, severity: incident.severity, summary: incident.title, service: incident.service,
            stage: incident.stage, step: step, person: person.id,
            runbook: runbook.map { RunbookReference(id: $0.id, title: $0.title, preAuthorized: $0.preAuthorized) },
            acknowledgeURL: link, reason: reason, drill: incident.isDrill
        )
        let messageJSON = JSONText.encode(message)
        var changes: [RecordChange] = []
        for method in person.contactMethods where method.problem == nil {
            let key = "\(keyPrefix)/\(person.id)/\(method.channel)"
            let sendAt = at.addingTimeInterval(method.delay.seconds)
            let page = PageRequest(incidentID: incident.id, idempotencyKey: key, person: person.id, isExternal: person.isExternal, method: method,
                                   rendered: PageRendering.request(json: Data(messageJSON.utf8), text: message.text, to: method),
                                   kind: reason == .escalation ? .page : .notice, sendAt: sendAt, createdAt: at, pass: pass, step: step,
                                   message: messageJSON)
            var detail = ["person": person.id, "channel": method.channel, "step": "\(step)", "idempotency_key": key]
            if method.delay > .zero { detail["send_at"] = UTCTime.string(sendAt) }
            if reason != .escalation { detail["reason"] = reason.rawValue }
            let queued = TimelineEntry(.pageQueued, incident: incident.id, at: at, detail: detail)
            changes.append(incident.keepsSilent(person.id) ? DrillSilence.withheld(queued) : .page(page, queued: queued))
        }
        return changes
    }
}
