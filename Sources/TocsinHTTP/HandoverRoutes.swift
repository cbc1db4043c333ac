import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `/api/v1/handovers…`: shift handovers. The outgoing holder of a role writes one (the open
/// incidents and their stages come from the record), the incoming one acknowledges it; both on
/// the system timeline. Unacknowledged in time, the incoming person is paged, then the backup.
struct HandoverRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    func add(to router: RouteTable) {
        router.get("/api/v1/handovers") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let all = request.uri.queryParameters.get("all") == "true"
            let since = engine.clock.now().addingTimeInterval(-86_400)
            return try jsonResponse(try engine.store.handovers(changingAfter: all ? nil : since))
        }
        router.get("/api/v1/handovers/draft") { request, _ -> Response in
            let actor = try auth.person(of: request, doing: "drafting a handover")
            guard let role = request.uri.queryParameters.get("role"), !role.isEmpty else {
                throw Problem.badRequest("Name the role to hand over: ?role=fault_analyst.")
            }
            return try jsonResponse(try Self.refusing { try engine.handoverDraft(of: Role(role), by: actor) })
        }
        router.post("/api/v1/handovers") { request, _ -> Response in
            let actor = try auth.person(of: request, doing: "writing a handover")
            let data = Data(buffer: try await request.body.collect(upTo: maxBodyBytes))
            let handover = try Self.request(try CommandBody(data, allowed: ["role", "in_progress", "done", "to_do", "notes"]))
            return try jsonResponse(try Self.refusing { try engine.writeHandover(handover, by: actor) }, status: .created)
        }
        router.get("/api/v1/handovers/:id") { request, context -> Response in
            _ = try auth.principal(of: request)
            let id = try Self.id(context)
            return try jsonResponse(try Self.refusing { try engine.store.handover(id) })
        }
        router.post("/api/v1/handovers/:id/acknowledge") { request, context -> Response in
            let actor = try auth.person(of: request, doing: "acknowledging a handover")
            let id = try Self.id(context)
            return try jsonResponse(try Self.refusing { try engine.acknowledgeHandover(id, by: actor) })
        }
    }

    /// A handover request from its JSON body: `role`, the lists `in_progress`, `done` and
    /// `to_do`, and `notes`, an object from an open incident's id to a word on it.
    static func request(_ body: CommandBody) throws -> HandoverRequest {
        var notes: [Int64: String] = [:]
        if let raw = body.fields["notes"], !(raw is NSNull) {
            guard let object = raw as? [String: Any] else { throw Problem.badRequest("Field notes must be an object from incident id to text, such as {\"12\": \"waiting for the bank\"}.") }
            for (key, value) in object {
                guard let id = Int64(key), id > 0 else { throw Problem.badRequest("notes: \"\(key)\" is not an incident id.") }
                guard let text = value as? String else { throw Problem.badRequest("notes.\(key) must be a string.") }
                notes[id] = text
            }
        }
        return HandoverRequest(role: Role(try body.string("role")), inProgress: try body.optionalStrings("in_progress") ?? [],
                               done: try body.optionalStrings("done") ?? [], toDo: try body.optionalStrings("to_do") ?? [], notes: notes)
    }

    static func id(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw Problem(.notFound, "No such handover", detail: "\"\(text)\" is not a handover id; ids are positive whole numbers.")
        }
        return id
    }

    /// Runs a handover command, turning its refusal into the problem that says what kind it is.
    static func refusing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HandoverError {
            switch error {
            case .invalid: throw Problem(.unprocessableContent, "Handover refused", detail: error.description)
            case .forbidden: throw Problem(.forbidden, "Not permitted", detail: error.description)
            case .notFound: throw Problem(.notFound, "No such handover", detail: error.description)
            case .conflict: throw Problem(.conflict, "Handover refused", detail: error.description)
            }
        }
    }
}
