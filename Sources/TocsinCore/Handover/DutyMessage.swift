import Foundation

/// A message about a person's duty rather than about one incident: that they are now on call,
/// or that a handover waits for their acknowledgement. It goes through the page outbox like
/// any page (kept until sent, retried, under a stable idempotency key); belonging to no
/// incident, its entries go on the system timeline.
struct DutyMessage: Encodable {
    /// `on_call` at a shift's start, `handover` when an acknowledgement is missed.
    var kind: String
    var role: Role
    var person: String
    var message: String
    var handoverID: Int64?
    var incidents: [HandoverIncident]

    enum CodingKeys: String, CodingKey {
        case kind, role, person, message, incidents
        case handoverID = "handover_id"
    }

    /// The outbox rows (one per working contact method of `person`) and their queued entries,
    /// keyed `key/PERSON/CHANNEL`.
    func changes(to person: Person, key: String, pageKind: PageRequest.Kind, purpose: String, at instant: Date) -> [RecordChange] {
        let body = (try? JSONEncoder().encode(self)) ?? Data()
        return person.contactMethods.filter { $0.problem == nil }.map { method in
            let idempotencyKey = "\(key)/\(person.id)/\(method.channel)"
            let page = PageRequest(incidentID: PageRequest.noIncident, idempotencyKey: idempotencyKey, person: person.id, isExternal: person.isExternal,
                                   method: method, rendered: PageRendering.request(json: body, text: message, to: method), kind: pageKind,
                                   sendAt: instant, createdAt: instant)
            let queued = TimelineEntry(.pageQueued, incident: PageRequest.noIncident, at: instant,
                                       detail: ["person": person.id, "channel": method.channel, "purpose": purpose, "audience": page.audience,
                                                "idempotency_key": idempotencyKey])
            return .page(page, queued: queued)
        }
    }
}
