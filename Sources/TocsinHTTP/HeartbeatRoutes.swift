import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// `POST /api/v1/heartbeats/{name}`: a monitor checks in; `GET /api/v1/heartbeats`: when each last did.
struct HeartbeatRoutes {
    let engine: Engine
    let auth: BearerToken

    func add(to router: RouteTable) {
        router.post("/api/v1/heartbeats/:name") { request, context -> Response in
            guard case .integration = try auth.principal(of: request) else {
                throw Problem(.forbidden, "An integration is required", detail: "Heartbeats are checked in by monitors with an integration's token, not a person's.")
            }
            let name = context.parameters.get("name") ?? ""
            do {
                let status = try engine.store.checkIn(heartbeat: name, rules: engine.rules, now: engine.clock.now())
                engine.poke()
                return try jsonResponse(status)
            } catch let error as HeartbeatError {
                throw Problem(.notFound, "No such heartbeat", detail: error.description)
            }
        }
        router.get("/api/v1/heartbeats") { request, _ -> Response in
            _ = try auth.principal(of: request)
            return try jsonResponse(try engine.store.heartbeats())
        }
    }
}
