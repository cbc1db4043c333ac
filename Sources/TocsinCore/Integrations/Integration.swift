/// A monitoring system allowed to send alerts to tocsind in its own wire format.
///
/// Each integration has its own token (PagerDuty clients present it as the routing key),
/// so a leaked token can be revoked alone and every alert names where it came from.
public struct Integration: Sendable, Hashable {
    public var name: String
    public var kind: IntegrationKind
    public var mapping: LabelMapping
    /// Grafana only: the HMAC secret its contact point signs each notification with.
    public var signature: WebhookSignature?

    public init(name: String, kind: IntegrationKind, mapping: LabelMapping = LabelMapping(), signature: WebhookSignature? = nil) {
        self.name = name
        self.kind = kind
        self.mapping = mapping
        self.signature = signature
    }
}

/// The wire formats tocsind speaks.
public enum IntegrationKind: String, Sendable, Hashable, CaseIterable {
    /// Alertmanager's webhook receiver (`version: "4"`).
    case alertmanager
    /// Prometheus pushing to tocsind as if it were an Alertmanager (`POST /api/v2/alerts`).
    case prometheus
    /// PagerDuty's Events API v2 (`POST /v2/enqueue`).
    case pagerduty
    /// Grafana unified alerting's webhook contact point.
    case grafana

    /// Where this kind's alerts arrive.
    public var path: String {
        switch self {
        case .alertmanager: "/api/v1/integrations/alertmanager"
        case .prometheus: "/api/v2/alerts"
        case .pagerduty: "/v2/enqueue"
        case .grafana: "/api/v1/integrations/grafana"
        }
    }
}
