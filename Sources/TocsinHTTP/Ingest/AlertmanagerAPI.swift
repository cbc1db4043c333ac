import Foundation
import Hummingbird
import TocsinCore

/// Alertmanager's `POST /api/v2/alerts`, so Prometheus can send to tocsind directly: list
/// tocsind under `alerting.alertmanagers` and nothing else changes.
///
/// Prometheus sends a list of alerts without a status; a firing alert carries an `endsAt`
/// in the future (its validity), a resolved one the time it resolved. tocsind never resolves
/// an alert because its `endsAt` passed without news: a Prometheus that stopped talking is a
/// heartbeat's business, not a recovery.
struct AlertmanagerAPI {
    static let path = IntegrationKind.prometheus.path
    static let what = "a list of Alertmanager API v2 alerts"

    static func reports(_ alerts: [LabelledAlert], integration: Integration, rules: SeverityRules, now: Date) throws -> [AlertReport] {
        guard !alerts.isEmpty else { throw Problem.badRequest("The list of alerts is empty; send at least one.") }
        return try LabelledAlert.reports(alerts, what: what, integration: integration, rules: rules, now: now,
                                         details: ["integration": integration.name])
    }

    static func add(to router: RouteTable, endpoint: IngestEndpoint) {
        router.post(RouterPath(stringLiteral: path)) { request, _ -> Response in
            let integration = try endpoint.integration(of: request, kind: .prometheus)
            let alerts = try IngestEndpoint.decode([LabelledAlert].self, from: try await endpoint.body(of: request), what: what)
            let reports = try reports(alerts, integration: integration, rules: endpoint.engine.rules.severity,
                                      now: endpoint.engine.clock.now())
            return endpoint.accepted(reports, try await endpoint.commit(reports, from: integration))
        }
    }
}
