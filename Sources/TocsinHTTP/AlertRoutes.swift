import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `POST /api/v1/alerts`: Tocsin's own alert intake; `GET /api/v1/alerts/counts`: how many are open.
struct AlertRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    func add(to router: RouteTable) {
        router.get("/api/v1/alerts/counts") { request, _ -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try engine.store.alertCounts())
        }
        router.post("/api/v1/alerts") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let reports = try AlertPayload.decodeBatch(Data(buffer: body), receivedAt: engine.clock.now())
            let outcome = try await engine.ingest(reports)
            return IngestReceipt(accepted: reports.count, outcome: outcome).response(status: .accepted)
        }
    }
}
