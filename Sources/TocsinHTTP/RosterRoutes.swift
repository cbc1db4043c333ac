import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `/api/v1/roster/…` and `/api/v1/oncall`: who is on call, and the changes people make to it
/// while Tocsin runs (overrides, stand-ins, swaps), each in force at once and on the system
/// timeline with who made it and when.
struct RosterRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    /// One holder of one role at an instant.
    struct Holding: Encodable {
        var role: Role
        var holder: Holder
        var person: String?
        var via: [String]
    }

    func add(to router: RouteTable) {
        router.get("/api/v1/oncall") { request, _ -> Response in
            _ = try auth.principal(of: request)
            var instant = engine.clock.now()
            if let text = request.uri.queryParameters.get("at") {
                guard let date = UTCTime.date(text) else {
                    throw Problem.badRequest("at must be an ISO 8601 time such as 2026-11-24T09:00:00+08:00, not \"\(text)\".")
                }
                instant = date
            }
            let roster = engine.rules.roster
            let holdings = roster.roles.keys.sorted().flatMap { role in
                [Holder.primary, .backup].map { holder in
                    let onCall = roster.onCall(role, holder, at: instant)
                    return Holding(role: role, holder: holder, person: onCall?.person.id, via: onCall?.via ?? [])
                }
            }
            return try jsonResponse(holdings)
        }
        router.get("/api/v1/roster/changes") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let all = request.uri.queryParameters.get("all") == "true"
            let now = engine.clock.now()
            let changes = try engine.store.rosterChanges(endingAfter: all ? nil : now)
            return try jsonResponse(all ? changes : changes.filter { $0.matters(at: now) })
        }
        router.post("/api/v1/roster/overrides") { request, _ -> Response in
            let actor = try auth.person(of: request, doing: "an override")
            let body = try CommandBody(Data(buffer: try await request.body.collect(upTo: maxBodyBytes)),
                                       allowed: ["role", "holder", "rotation", "person", "start", "end", "reason"])
            let target: OverrideTarget
            switch (try body.optionalString("role"), try body.optionalString("rotation")) {
            case (let role?, nil):
                let holderText = try body.optionalString("holder") ?? "primary"
                guard let holder = Holder(rawValue: holderText) else { throw Problem.badRequest("holder must be primary or backup, not \"\(holderText)\".") }
                target = .role(Role(role), holder)
            case (nil, let rotation?):
                guard try body.optionalString("holder") == nil else { throw Problem.badRequest("holder goes with role, not with rotation.") }
                target = .rotation(rotation)
            default:
                throw Problem.badRequest("Name either a role (with holder primary or backup) or a rotation, not both.")
            }
            let request = RosterChangeRequest.override(target: target, person: try body.optionalString("person") ?? actor, start: try time(body, "start"),
                                                       end: try requiredTime(body, "end"), reason: try body.optionalString("reason"))
            return try jsonResponse(try change { try engine.changeRoster(request, by: actor) }, status: .created)
        }
        router.post("/api/v1/roster/stand-ins") { request, _ -> Response in
            let actor = try auth.person(of: request, doing: "naming a stand-in")
            let body = try CommandBody(Data(buffer: try await request.body.collect(upTo: maxBodyBytes)),
                                       allowed: ["person", "stand_in", "start", "end", "reason"])
            let request = RosterChangeRequest.standIn(person: try body.optionalString("person") ?? actor, standIn: try body.string("stand_in"),
                                                      start: try time(body, "start"), end: try requiredTime(body, "end"), reason: try body.optionalString("reason"))
            return try jsonResponse(try change { try engine.changeRoster(request, by: actor) }, status: .created)
        }
        router.post("/api/v1/roster/swaps") { request, _ -> Response in
            let actor = try auth.person(of: request, doing: "proposing a swap")
            let body = try CommandBody(Data(buffer: try await request.body.collect(upTo: maxBodyBytes)),
                                       allowed: ["rotation", "shift_at", "with", "their_shift_at", "reason"])
            let request = RosterChangeRequest.swap(rotation: try body.string("rotation"), mine: try requiredTime(body, "shift_at"), with: try body.string("with"),
                                                   theirs: try requiredTime(body, "their_shift_at"), reason: try body.optionalString("reason"))
            return try jsonResponse(try change { try engine.changeRoster(request, by: actor) }, status: .created)
        }
        router.post("/api/v1/roster/changes/:id/accept") { request, context -> Response in
            let actor = try auth.person(of: request, doing: "accepting a swap")
            let id = try changeID(context)
            return try jsonResponse(try change { try engine.acceptRosterChange(id, by: actor) })
        }
        router.post("/api/v1/roster/changes/:id/cancel") { request, context -> Response in
            let actor = try auth.person(of: request, doing: "withdrawing a roster change")
            let id = try changeID(context)
            return try jsonResponse(try change { try engine.cancelRosterChange(id, by: actor) })
        }
    }

    private func time(_ body: CommandBody, _ field: String) throws -> Date? {
        guard let text = try body.optionalString(field) else { return nil }
        guard let date = UTCTime.date(text) else {
            throw Problem.badRequest("Field \(field) must be an ISO 8601 time such as 2026-11-24T09:00:00+08:00, not \"\(text)\".")
        }
        return date
    }

    private func requiredTime(_ body: CommandBody, _ field: String) throws -> Date {
        guard let date = try time(body, field) else { throw Problem.badRequest("Missing field \(field): an ISO 8601 time.") }
        return date
    }

    private func changeID(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw Problem(.notFound, "No such roster change", detail: "\"\(text)\" is not a roster change id; ids are positive whole numbers.")
        }
        return id
    }

    /// Runs a roster command, turning its refusal into the problem that says what kind it is.
    private func change(_ body: () throws -> RosterChange) throws -> RosterChange {
        do {
            let change = try body()
            engine.poke()
            return change
        } catch let error as RosterChangeError {
            switch error {
            case .invalid: throw Problem(.unprocessableContent, "Roster change refused", detail: error.description)
            case .forbidden: throw Problem(.forbidden, "Not permitted", detail: error.description)
            case .notFound: throw Problem(.notFound, "No such roster change", detail: error.description)
            case .conflict: throw Problem(.conflict, "Roster change refused", detail: error.description)
            }
        }
    }
}
