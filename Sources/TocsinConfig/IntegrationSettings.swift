import TocsinCore

/// Reads the `integrations:` list: the monitoring systems that may send alerts in their own
/// wire format, each with its own token and its own way of labelling alerts.
///
/// ```yaml
/// integrations:
///   - name: alertmanager
///     kind: alertmanager            # alertmanager | prometheus | pagerduty | grafana
///     token_env: TOCSIN_ALERTMANAGER_TOKEN
///     mapping:
///       service: [service, app]
///       urgency: [urgency, severity]
/// ```
enum IntegrationSettings {
    struct Loaded {
        var integrations: [Integration] = []
        var tokens: [String: Principal] = [:]
    }

    static func load(_ node: ConfigNode, environment: [String: String]) throws -> Loaded {
        var loaded = Loaded()
        for item in try node.items() {
            let item = try item.allowingOnly(["name", "kind", "token", "token_env", "routing_key", "routing_key_env", "signing_secret", "signing_secret_env", "signature_header", "timestamp_header", "mapping"])
            let name = try item["name"].string()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw item["name"].error("use letters, digits, - _ or . for an integration's name, got \"\(name)\"")
            }
            guard !loaded.integrations.contains(where: { $0.name == name }) else { throw item["name"].error("integration \"\(name)\" is declared twice") }
            let kindText = try item["kind"].string()
            guard let kind = IntegrationKind(rawValue: kindText) else {
                throw item["kind"].error("expected one of \(IntegrationKind.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(kindText)\"")
            }
            let token = try secret(item, names: kind == .pagerduty ? ("routing_key", "routing_key_env") : ("token", "token_env"), environment: environment, what: kind == .pagerduty ? "routing key" : "token")
            guard token.utf8.count >= 12 else { throw item.error("\(kind == .pagerduty ? "routing key" : "token") too short; use at least 12 characters") }
            guard loaded.tokens[token] == nil else { throw item.error("the same token is given to two integrations") }
            var signature: WebhookSignature?
            if item["signing_secret"].exists || item["signing_secret_env"].exists {
                guard kind == .grafana else { throw item.error("only a grafana integration verifies a signing secret") }
                let secret = try Self.secret(item, names: ("signing_secret", "signing_secret_env"), environment: environment, what: "signing secret")
                guard secret.utf8.count >= 16 else { throw item.error("signing secret too short; use at least 16 characters") }
                signature = WebhookSignature(
                    secret: secret,
                    header: try item["signature_header"].string(default: WebhookSignature.defaultHeader),
                    timestampHeader: item["timestamp_header"].exists ? try item["timestamp_header"].string() : nil
                )
            } else if item["signature_header"].exists || item["timestamp_header"].exists {
                throw item.error("signature_header and timestamp_header need signing_secret (or signing_secret_env)")
            }
            loaded.tokens[token] = .integration(name)
            loaded.integrations.append(Integration(name: name, kind: kind, mapping: try mapping(item["mapping"]), signature: signature))
        }
        return loaded
    }

    static func mapping(_ node: ConfigNode) throws -> LabelMapping {
        let node = try node.allowingOnly(["service", "default_service", "urgency", "urgency_values", "summary", "summary_labels"])
        let defaults = LabelMapping()
        func names(_ key: String, default value: [String]) throws -> [String] {
            guard node[key].exists else { return value }
            if node[key].node?.scalar != nil { return [try node[key].string()] }
            let list = try node[key].items().map { try $0.string() }
            guard !list.isEmpty else { throw node[key].error("list at least one label") }
            return list
        }
        var values = defaults.urgencyValues
        for (word, urgency) in try node["urgency_values"].entries() {
            values[word.lowercased()] = try urgency.string().lowercased()
        }
        return LabelMapping(
            serviceLabels: try names("service", default: defaults.serviceLabels),
            defaultService: try node["default_service"].string(default: defaults.defaultService),
            urgencyLabels: try names("urgency", default: defaults.urgencyLabels),
            urgencyValues: values,
            summaryAnnotations: try names("summary", default: defaults.summaryAnnotations),
            summaryLabels: try names("summary_labels", default: defaults.summaryLabels)
        )
    }

    /// A secret given inline (demo) or, in production, with `NAME_env` naming an environment variable.
    static func secret(_ item: ConfigNode, names: (inline: String, env: String), environment: [String: String], what: String) throws -> String {
        if item[names.env].exists {
            let variable = try item[names.env].string()
            if let value = environment[variable], !value.isEmpty { return value }
            if !item[names.inline].exists { throw item[names.env].error("environment variable \(variable) is not set") }
        }
        guard item[names.inline].exists else { throw item.error("give the \(what) with \(names.inline) or \(names.env)") }
        return try item[names.inline].string()
    }
}
