import Foundation
import Hummingbird
import TocsinCore

/// Alertmanager's webhook receiver payload (`version: "4"`), sent to
/// `POST /api/v1/integrations/alertmanager`.
///
/// Each alert's own `status` counts, not the group's: a group still `firing` can carry alerts
/// that resolved. `truncatedAlerts > 0` only means some alerts were left out of this
/// notification; an alert missing from it is not taken as resolved (only an explicit
/// `status: resolved` resolves). `groupKey` and `fingerprint` are kept on the record.
struct AlertmanagerWebhook: JSONReadable {
    var version: String
    var groupKey: String?
    var truncatedAlerts: Int?
    var receiver: String?
    var externalURL: String?
    var alerts: [LabelledAlert]

    init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObject(json)
        version = try object.required("version")
        groupKey = try object.optional("groupKey")
        truncatedAlerts = try object.optional("truncatedAlerts")
        receiver = try object.optional("receiver")
        externalURL = try object.optional("externalURL")
        alerts = try object.required("alerts")
    }

    static let path = IntegrationKind.alertmanager.path
    static let what = "an Alertmanager webhook payload"

    func reports(integration: Integration, rules: SeverityRules, now: Date) throws -> [AlertReport] {
        guard version == "4" else {
            throw Problem.badRequest("This is webhook payload version \"\(version)\"; tocsind reads Alertmanager's version \"4\".")
        }
        var details = ["integration": integration.name]
        details["group_key"] = groupKey
        details["alertmanager"] = externalURL.flatMap { $0.isEmpty ? nil : $0 }
        details["receiver"] = receiver
        if let truncatedAlerts, truncatedAlerts > 0 { details["truncated_alerts"] = "\(truncatedAlerts)" }
        return try LabelledAlert.reports(alerts, what: Self.what, integration: integration, rules: rules, now: now, details: details)
    }

    static func add(to router: RouteTable, endpoint: IngestEndpoint) {
        router.post(RouterPath(stringLiteral: path)) { request, _ -> Response in
            let integration = try endpoint.integration(of: request, kind: .alertmanager)
            let payload = try IngestEndpoint.decode(Self.self, from: try await endpoint.body(of: request), what: what)
            let reports = try payload.reports(integration: integration, rules: endpoint.engine.rules.severity,
                                              now: endpoint.engine.clock.now())
            return endpoint.accepted(reports, try await endpoint.commit(reports, from: integration))
        }
    }
}
