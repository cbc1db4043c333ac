import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `GET /api/v1/system/events`: Tocsin's own timeline, what it did about itself (its fallback
/// alarm's messages and whom they reached, configuration reloads, roster changes), for a review
/// of a time Tocsin could not work. `POST /api/v1/system/reload`: read the configuration again.
struct SystemRoutes {
    let engine: Engine
    let auth: BearerToken
    let reload: ConfigurationReload?

    /// What `POST /api/v1/system/reload` answers when the new configuration is in force.
    struct Reloaded: Encodable {
        var changes: [String]
        var needsRestart: [String]

        enum CodingKeys: String, CodingKey { case changes, needsRestart = "needs_restart" }
    }

    func add(to router: RouteTable) {
        router.get("/api/v1/system/events") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let limitText = request.uri.queryParameters.get("limit") ?? "50"
            guard let limit = Int(limitText), (1...500).contains(limit) else {
                throw Problem.badRequest("limit must be a whole number from 1 to 500, not \"\(limitText)\".")
            }
            return try jsonResponse(try engine.store.systemEvents(limit: limit))
        }
        router.post("/api/v1/system/reload") { request, _ -> Response in
            let person = try auth.person(of: request, doing: "reloading the configuration")
            guard let reload else {
                throw Problem(.conflict, "Nothing to reload", detail: "This server was not started from a configuration file.")
            }
            switch await Task.detached { reload.reload(by: person) }.value {
            case .applied(let difference):
                return try jsonResponse(Reloaded(changes: difference.changes, needsRestart: difference.needsRestart))
            case .refused(let problems):
                throw Problem(.unprocessableContent, "Configuration refused",
                              detail: "The running configuration stays. \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n\(problems.joined(separator: "\n"))")
            }
        }
    }
}
