import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `POST /api/v1/alerts`: Tocsin's own alert intake; `GET /api/v1/alerts/counts`: how many are open.
struct AlertRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    struct Accepted: Encodable {
        var accepted: Int
        var created: Int
        var deduplicated: Int
        var resolved: Int
        var ignored: Int
        var openedIncidents: [Int64]

        enum CodingKeys: String, CodingKey {
            case accepted, created, deduplicated, resolved, ignored, openedIncidents = "opened_incidents"
        }
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/alerts/counts") { request, _ -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try engine.store.alertCounts())
        }
        router.post("/api/v1/alerts") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let reports = try AlertPayload.decodeBatch(Data(buffer: body))
            let outcome = try await engine.ingest(reports)
            return try jsonResponse(
                Accepted(accepted: reports.count, created: outcome.created, deduplicated: outcome.deduplicated,
                         resolved: outcome.resolved, ignored: outcome.ignored, openedIncidents: outcome.openedIncidents),
                status: .accepted
            )
        }
    }
}
