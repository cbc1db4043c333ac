import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// The emergency procedure over HTTP: `POST /api/v1/incidents/{id}/{action}` for every
/// command, and `GET /api/v1/incidents/{id}/procedure` for where the incident stands.
struct ProcedureRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    /// Where an incident stands in the procedure.
    struct Standing: Encodable {
        var stage: Stage
        var nextStages: [Stage]
        var procedure: ProcedureRecord
        var checklist: [ChecklistItem]

        enum CodingKeys: String, CodingKey { case stage, nextStages = "next_stages", procedure, checklist }
    }

    struct ChecklistItem: Encodable {
        var step: Int
        var text: String
        var doneBy: String?
        var doneAt: Date?

        enum CodingKeys: String, CodingKey { case step, text, doneBy = "done_by", doneAt = "done_at" }
    }

    func add(to router: RouteTable) {
        router.get("/api/v1/incidents/:id/procedure") { request, context -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try standing(try context.parameters.incidentID()))
        }
        router.post("/api/v1/incidents/:id/:action") { request, context -> Response in
            let action = context.parameters.get("action") ?? ""
            let actor = try auth.person(of: request, doing: "`\(action)`")
            let id = try context.parameters.incidentID()
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let command = try ProcedureCommandDecoding.command(action: action, body: Data(buffer: body), actor: actor)
            let outcome: ProcedureOutcome
            do {
                outcome = try await engine.perform(command, on: id, by: actor)
            } catch let error as ProcedureError {
                throw Problem(error.status, "Refused by the procedure", detail: error.description)
            } catch let error as StoreError where error.isIncidentNotFound {
                throw Problem(.notFound, "No such incident", detail: error.description)
            }
            if let failure = outcome.events.first(where: { $0.kind == .tradeSwitchFailed }) {
                throw Problem(.badGateway, "Trade switch call failed",
                              detail: "The approval is recorded, but the platform did not confirm: \(failure.detail["answer"] ?? "?"). The incident stays in \(outcome.stage.rawValue); the commander and leadership have been paged. Approve again to retry.")
            }
            return try jsonResponse(try standing(id))
        }
    }

    private func standing(_ id: Int64) throws -> Standing {
        do {
            let incident = try engine.store.incident(id)
            let record = try engine.store.procedureRecord(id)
            let steps = incident.runbookID.flatMap { runbookID in engine.rules.runbooks.first { $0.id == runbookID } }?.steps ?? []
            let checklist = steps.enumerated().map { index, text in
                ChecklistItem(step: index + 1, text: text, doneBy: record.checklist[index + 1]?.by, doneAt: record.checklist[index + 1]?.at)
            }
            return Standing(stage: incident.stage, nextStages: Procedure.next(after: incident.stage), procedure: record, checklist: checklist)
        } catch let error as StoreError where error.isIncidentNotFound {
            throw Problem(.notFound, "No such incident", detail: error.description)
        }
    }
}

extension ProcedureError {
    /// The HTTP status that says what kind of refusal this is.
    var status: HTTPResponse.Status {
        switch self {
        case .notPermitted, .sameApprover: .forbidden
        case .illegalTransition, .missing, .notInStage, .closed, .silentInDrill: .conflict
        case .invalid: .unprocessableContent
        }
    }
}
