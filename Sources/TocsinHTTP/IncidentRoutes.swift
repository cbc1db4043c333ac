import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// The incident API: list, read, timeline, acknowledge.
struct IncidentRoutes {
    let engine: Engine
    let auth: BearerToken

    struct AckAnswer: Encodable {
        var incident: Int64
        var acknowledgedBy: String
        var acknowledgedAt: Date
        var alreadyAcknowledged: Bool
        /// When the step needs everyone it paged to acknowledge: who still has to.
        var waitingFor: [String] = []

        enum CodingKeys: String, CodingKey {
            case incident, acknowledgedBy = "acknowledged_by", acknowledgedAt = "acknowledged_at", alreadyAcknowledged = "already_acknowledged"
            case waitingFor = "waiting_for"
        }
    }

    func add(to router: RouteTable) {
        router.get("/api/v1/incidents") { request, _ -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try engine.store.incidents())
        }
        router.get("/api/v1/incidents/:id") { request, context -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try found { try engine.store.incident(try context.parameters.incidentID()) })
        }
        router.get("/api/v1/incidents/:id/timeline") { request, context -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try timeline(try context.parameters.incidentID()))
        }
        router.post("/api/v1/incidents/:id/ack") { request, context -> Response in
            let person = try auth.person(of: request, doing: "acknowledging")
            let id = try context.parameters.incidentID()
            return try jsonResponse(try acknowledge(id, by: person, via: "api"))
        }
    }

    func timeline(_ id: Int64) throws -> IncidentTimeline {
        try found { IncidentTimeline(incident: try engine.store.incident(id), events: try engine.store.timeline(id)) }
    }

    func acknowledge(_ id: Int64, by person: String, via channel: String) throws -> AckAnswer {
        let now = engine.clock.now()
        if try found({ try engine.store.incident(id) }).keepsSilent(person) {
            throw Problem(.conflict, "Silent in this drill", detail: "\(DrillSilence.reason(person)): the acknowledgement does not count.")
        }
        let outcome = try found { try engine.store.acknowledge(incidentID: id, by: person, via: channel, rules: engine.rules, now: now) }
        engine.poke()
        switch outcome {
        case .acknowledged:
            return AckAnswer(incident: id, acknowledgedBy: person, acknowledgedAt: now, alreadyAcknowledged: false)
        case .alreadyAcknowledged(let by, let at):
            return AckAnswer(incident: id, acknowledgedBy: by, acknowledgedAt: at, alreadyAcknowledged: true)
        case .partiallyAcknowledged(let waitingFor):
            return AckAnswer(incident: id, acknowledgedBy: person, acknowledgedAt: now, alreadyAcknowledged: false, waitingFor: waitingFor)
        }
    }

    /// Turns the store's "no such incident" into a 404 problem.
    func found<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError where error.isIncidentNotFound {
            throw Problem(.notFound, "No such incident", detail: error.description)
        }
    }
}
