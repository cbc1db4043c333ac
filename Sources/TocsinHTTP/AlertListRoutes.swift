import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `GET /api/v1/alerts`: every alert as recorded, including those that paged nobody
/// (below the major threshold, or held by a silence), with how many deliveries were folded in.
struct AlertListRoutes {
    let engine: Engine
    let auth: BearerToken

    func add(to router: RouteTable) {
        router.get("/api/v1/alerts") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let statusText = request.uri.queryParameters.get("status")
            let status = try statusText.map { text in
                guard let status = AlertStatus(rawValue: text) else {
                    throw Problem.badRequest("Unknown status \"\(text)\"; choose firing or resolved, or leave it out for both.")
                }
                return status
            }
            return try jsonResponse(try engine.store.alerts(status: status))
        }
    }
}
