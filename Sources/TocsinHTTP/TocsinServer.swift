import Hummingbird
import Logging
import TocsinCore
import TocsinEngine

/// The HTTP face of `tocsind`: alert intake, the incident API, acknowledge links and the incident console.
public struct TocsinServer: Sendable {
    public let engine: Engine
    /// The bearer tokens, and the monitoring systems that send in their own wire format.
    public let access: ServerAccess
    public let maxBodyBytes: Int
    /// Reloads the configuration for `POST /api/v1/system/reload`; nil where nothing can be reloaded.
    public let reload: ConfigurationReload?
    /// Set to serve HTTPS.
    public let tls: ServerTLS?
    /// What `/metrics` serves; the engine records into its `recorder`.
    public let metrics: MetricsExposition

    public init(engine: Engine, tokens: [String: Principal], maxBodyBytes: Int, integrations: [Integration] = [], tls: ServerTLS? = nil,
                metrics: MetricsExposition = MetricsExposition()) {
        self.init(engine: engine, access: ServerAccess(tokens: tokens, integrations: integrations), maxBodyBytes: maxBodyBytes, tls: tls, metrics: metrics)
    }

    public init(engine: Engine, access: ServerAccess, maxBodyBytes: Int, reload: ConfigurationReload? = nil, tls: ServerTLS? = nil,
                metrics: MetricsExposition = MetricsExposition()) {
        self.metrics = metrics
        self.engine = engine
        self.access = access
        self.maxBodyBytes = maxBodyBytes
        self.reload = reload
        self.tls = tls
    }

    public func router() -> Router<BasicRequestContext> {
        routeTable().router
    }

    /// Every method and path the server answers, read off its router.
    public func routes() -> [Route] {
        routeTable().routes.sorted()
    }

    private func routeTable() -> RouteTable {
        let router = RouteTable(Router())
        router.add(middleware: ProblemMiddleware(routes: router.registered))
        let auth = BearerToken(access: access)
        let incidents = IncidentRoutes(engine: engine, auth: auth)
        AlertRoutes(engine: engine, auth: auth, maxBodyBytes: maxBodyBytes).add(to: router)
        incidents.add(to: router)
        ReviewRoutes(incidents: incidents).add(to: router)
        RegulatoryRoutes(incidents: incidents, maxBodyBytes: maxBodyBytes).add(to: router)
        ProcedureRoutes(engine: engine, auth: auth, maxBodyBytes: maxBodyBytes).add(to: router)
        DrillRoutes(engine: engine, auth: auth, maxBodyBytes: maxBodyBytes).add(to: router)
        AckLinkRoutes(incidents: incidents).add(to: router)
        ConsoleRoutes(engine: engine, access: access, sessions: ConsoleSessions(), incidents: incidents, secureCookies: tls != nil,
                      maxBodyBytes: maxBodyBytes).add(to: router)
        addIntegrationRoutes(to: router, auth: auth)
        SystemRoutes(engine: engine, auth: auth, reload: reload).add(to: router)
        RosterRoutes(engine: engine, auth: auth, maxBodyBytes: maxBodyBytes).add(to: router)
        HandoverRoutes(engine: engine, auth: auth, maxBodyBytes: maxBodyBytes).add(to: router)
        RetentionRoutes(engine: engine, auth: auth).add(to: router)
        MetricsRoutes(engine: engine, exposition: metrics).add(to: router)
        router.get("/healthz") { _, _ in try jsonResponse(["status": "ok"]) }
        router.get("/readyz") { [engine] _, _ -> Response in
            let readiness = engine.readiness()
            return try jsonResponse(ReadinessAnswer(status: readiness.ready ? "ready" : "not ready", reasons: readiness.reasons),
                                    status: readiness.ready ? .ok : .serviceUnavailable)
        }
        OpenAPIRoutes().add(to: router)
        return router
    }

    /// An application listening on `host:port` (port 0 picks a free one; `onListening` learns which).
    public func application(host: String, port: Int, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            server: tls?.server ?? .http1(),
            configuration: .init(address: .hostname(host, port: port), serverName: "tocsind"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

/// `GET /readyz`: `ready`, or `not ready` with the reasons.
private struct ReadinessAnswer: Encodable {
    var status: String
    var reasons: [String]
}
