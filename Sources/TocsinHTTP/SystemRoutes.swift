import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `GET /api/v1/system/events`: Tocsin's own timeline, what it did about itself (its fallback
/// alarm's messages and whom they reached), for a review of a time Tocsin could not work.
struct SystemRoutes {
    let engine: Engine
    let auth: BearerToken

    func add(to router: RouteTable) {
        router.get("/api/v1/system/events") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let limitText = request.uri.queryParameters.get("limit") ?? "50"
            guard let limit = Int(limitText), (1...500).contains(limit) else {
                throw Problem.badRequest("limit must be a whole number from 1 to 500, not \"\(limitText)\".")
            }
            return try jsonResponse(try engine.store.systemEvents(limit: limit))
        }
    }
}
