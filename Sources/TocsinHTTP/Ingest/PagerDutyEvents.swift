import Foundation
import Hummingbird
import TocsinCore
import TocsinStore

/// PagerDuty's Events API v2 (`POST /v2/enqueue`), so any PagerDuty client or integration
/// can send to tocsind by changing its base URL.
///
/// The routing key is the integration's token. `trigger` opens or updates the alert with
/// the event's `dedup_key` (one is made up when the event has none), `acknowledge`
/// acknowledges the incident that alert belongs to, `resolve` resolves the alert. Answers
/// are PagerDuty's: `202 {"status":"success","message":"Event processed","dedup_key":…}`,
/// and `400 {"status":"invalid event","message":"Event object is invalid","errors":[…]}`.
struct PagerDutyEvent {
    enum Action: String {
        case trigger, acknowledge, resolve
    }

    var routingKey: String
    var action: Action
    /// The client's key, as it sent it or as tocsind made it up.
    var dedupKey: String
    var summary: String?
    var severity: String?
    var labels: [String: String]
    var timestamp: Date?

    static let path = IntegrationKind.pagerduty.path
    static let severities = ["critical", "error", "warning", "info"]

    /// Reads an event, collecting every problem the way PagerDuty lists them.
    init(json: Any, makeKey: () -> String) throws(PagerDutyRefusal) {
        guard let event = json as? [String: Any] else { throw PagerDutyRefusal(["Event must be a JSON object."]) }
        var errors: [String] = []
        func text(_ value: Any?, _ name: String, required: Bool, limit: Int) -> String? {
            guard let value, !(value is NSNull) else {
                if required { errors.append("'\(name)' is missing or blank") }
                return nil
            }
            guard let string = value as? String else {
                errors.append("'\(name)' must be a string")
                return nil
            }
            if required, string.trimmingCharacters(in: .whitespaces).isEmpty { errors.append("'\(name)' is missing or blank") }
            if string.count > limit { errors.append("'\(name)' is longer than \(limit) characters") }
            return string
        }
        let routingKey = text(event["routing_key"], "routing_key", required: true, limit: 255)
        let actionText = text(event["event_action"], "event_action", required: true, limit: 32)
        let action = actionText.flatMap(Action.init(rawValue:))
        if let actionText, !actionText.isEmpty, action == nil {
            errors.append("'event_action' must be one of trigger, acknowledge or resolve, got '\(actionText)'")
        }
        let dedupKey = text(event["dedup_key"], "dedup_key", required: action == .acknowledge || action == .resolve, limit: 255)
        var summary: String?, severity: String?, timestamp: Date?
        var labels: [String: String] = [:]
        if action == .trigger {
            if let payload = event["payload"] as? [String: Any] {
                summary = text(payload["summary"], "payload.summary", required: true, limit: 1024)
                let source = text(payload["source"], "payload.source", required: true, limit: 255)
                severity = text(payload["severity"], "payload.severity", required: true, limit: 32)
                if let value = severity, !value.isEmpty, !Self.severities.contains(value) {
                    errors.append("'payload.severity' must be one of critical, error, warning or info, got '\(value)'")
                }
                if let stamp = text(payload["timestamp"], "payload.timestamp", required: false, limit: 64) {
                    timestamp = SourceTime(stamp)?.date
                    if timestamp == nil { errors.append("'payload.timestamp' is not an ISO 8601 time: '\(stamp)'") }
                }
                for field in ["component", "group", "class"] {
                    labels[field] = text(payload[field], "payload.\(field)", required: false, limit: 255)
                }
                labels["source"] = source
                labels["severity"] = severity
                if let details = payload["custom_details"] {
                    if let object = details as? [String: Any] {
                        for (key, value) in object where labels[key] == nil { labels[key] = Self.labelValue(value) }
                    } else if !(details is NSNull) {
                        labels["details"] = Self.labelValue(details)
                    }
                }
            } else {
                errors.append("'payload' is missing or not an object")
            }
        }
        guard errors.isEmpty, let routingKey, let action else { throw PagerDutyRefusal(errors) }
        self.routingKey = routingKey
        self.action = action
        self.dedupKey = dedupKey.flatMap { $0.isEmpty ? nil : $0 } ?? makeKey()
        self.summary = summary
        self.severity = severity
        self.labels = labels
        self.timestamp = timestamp
    }

    /// Tocsin's key for the event: PagerDuty scopes dedup keys to the service the routing key
    /// belongs to, so Tocsin scopes them to the integration.
    func tocsinKey(_ integration: Integration) -> String {
        "pagerduty:\(integration.name):\(dedupKey)"
    }

    func report(_ integration: Integration, rules: SeverityRules, now: Date) -> AlertReport {
        var report = integration.mapping.report(
            source: integration.name, dedupKey: tocsinKey(integration), labels: labels, annotations: [:],
            status: action == .resolve ? .resolved : .firing, startsAt: timestamp ?? now, urgency: rules,
            details: ["integration": integration.name, "pagerduty_dedup_key": dedupKey]
        )
        report.summary = summary ?? report.summary
        return report
    }

    private static func labelValue(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let number = value as? NSNumber { return number.stringValue }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func add(to router: RouteTable, endpoint: IngestEndpoint) {
        router.post(RouterPath(stringLiteral: path)) { request, _ -> Response in
            do {
                let body = try await endpoint.body(of: request)
                let json: Any
                do {
                    _ = try JSONReader.parse(body)
                    json = try JSONSerialization.jsonObject(with: body)
                } catch {
                    throw PagerDutyRefusal(["The body is not valid JSON: \(error)"])
                }
                let event = try PagerDutyEvent(json: json, makeKey: { UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() })
                let integration = try integration(for: event.routingKey, endpoint: endpoint)
                let now = endpoint.engine.clock.now()
                switch event.action {
                case .trigger, .resolve:
                    _ = try await endpoint.commit([event.report(integration, rules: endpoint.engine.rules.severity, now: now)], from: integration)
                case .acknowledge:
                    _ = try endpoint.engine.store.acknowledge(alertKey: event.tocsinKey(integration), by: integration.name, via: "pagerduty", rules: endpoint.engine.rules, now: now)
                    endpoint.engine.poke()
                }
                return try jsonResponse(["status": "success", "message": "Event processed", "dedup_key": event.dedupKey], status: .accepted)
            } catch let refusal as PagerDutyRefusal {
                return try jsonResponse(refusal.body, status: .badRequest)
            }
        }
    }

    private static func integration(for routingKey: String, endpoint: IngestEndpoint) throws -> Integration {
        guard let principal = endpoint.access.principal(presenting: routingKey) else {
            throw PagerDutyRefusal(["'routing_key' is not one this tocsind knows; it is the token of a pagerduty integration under `integrations:` in tocsin.yaml"])
        }
        do {
            return try endpoint.integration(named: principal, kind: .pagerduty)
        } catch let problem as Problem {
            throw PagerDutyRefusal(["'routing_key' is refused: \(problem.detail)"])
        }
    }
}

/// An event refused in PagerDuty's own error shape, so PagerDuty clients report it as they
/// would a refusal from PagerDuty.
struct PagerDutyRefusal: Error {
    var errors: [String]

    init(_ errors: [String]) {
        self.errors = errors
    }

    struct Body: Encodable {
        var status = "invalid event"
        var message = "Event object is invalid"
        var errors: [String]
    }

    var body: Body { Body(errors: errors) }
}
