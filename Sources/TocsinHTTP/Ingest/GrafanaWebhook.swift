import Foundation
import Hummingbird
import TocsinCore

/// Grafana unified alerting's webhook contact point, sent to `POST /api/v1/integrations/grafana`.
///
/// The payload is Alertmanager's with Grafana's additions (`orgId`, `values`, `silenceURL`, …),
/// which are ignored. When the integration has a signing secret, the body's HMAC-SHA256
/// signature (and, if configured, its timestamp) is checked before anything is read.
struct GrafanaWebhook: JSONReadable {
    var groupKey: String?
    var truncatedAlerts: Int?
    var receiver: String?
    var externalURL: String?
    var orgId: Int?
    var alerts: [LabelledAlert]

    init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObject(json)
        groupKey = try object.optional("groupKey")
        truncatedAlerts = try object.optional("truncatedAlerts")
        receiver = try object.optional("receiver")
        externalURL = try object.optional("externalURL")
        orgId = try object.optional("orgId")
        alerts = try object.required("alerts")
    }

    static let path = IntegrationKind.grafana.path
    static let what = "a Grafana webhook payload"

    func reports(integration: Integration, rules: SeverityRules, now: Date) throws -> [AlertReport] {
        var details = ["integration": integration.name]
        details["group_key"] = groupKey
        details["grafana"] = externalURL.flatMap { $0.isEmpty ? nil : $0 }
        details["org_id"] = orgId.map(String.init)
        if let truncatedAlerts, truncatedAlerts > 0 { details["truncated_alerts"] = "\(truncatedAlerts)" }
        return try LabelledAlert.reports(alerts, what: Self.what, integration: integration, rules: rules, now: now, details: details)
    }

    static func add(to router: RouteTable, endpoint: IngestEndpoint) {
        router.post(RouterPath(stringLiteral: path)) { request, _ -> Response in
            let integration = try endpoint.integration(of: request, kind: .grafana)
            let body = try await endpoint.body(of: request)
            if let signature = integration.signature {
                let header = { (name: String) in request.headers.first { $0.name.canonicalName == name.lowercased() }?.value }
                if let problem = signature.problem(body: body, signature: header(signature.header),
                                                   timestamp: signature.timestampHeader.flatMap(header), now: endpoint.engine.clock.now()) {
                    throw Problem(.unauthorized, "Signature refused", detail: problem.description)
                }
            }
            let payload = try IngestEndpoint.decode(Self.self, from: body, what: what)
            let reports = try payload.reports(integration: integration, rules: endpoint.engine.rules.severity,
                                              now: endpoint.engine.clock.now())
            return endpoint.accepted(reports, try await endpoint.commit(reports, from: integration))
        }
    }
}
