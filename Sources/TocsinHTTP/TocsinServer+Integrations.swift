import Hummingbird
import TocsinCore

extension TocsinServer {
    /// The monitoring stack's wire formats, heartbeats, silences and the alert list.
    func addIntegrationRoutes(to router: RouteTable, auth: BearerToken) {
        let endpoint = IngestEndpoint(
            engine: engine, auth: auth, access: access, maxBodyBytes: maxBodyBytes
        )
        AlertmanagerWebhook.add(to: router, endpoint: endpoint)
        AlertmanagerAPI.add(to: router, endpoint: endpoint)
        GrafanaWebhook.add(to: router, endpoint: endpoint)
        PagerDutyEvent.add(to: router, endpoint: endpoint)
        AlertListRoutes(engine: engine, auth: auth).add(to: router)
        HeartbeatRoutes(engine: engine, auth: auth).add(to: router)
        SilenceRoutes(engine: engine, auth: auth, maxBodyBytes: maxBodyBytes).add(to: router)
    }
}
