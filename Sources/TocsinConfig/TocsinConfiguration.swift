import Foundation
import TocsinCore

/// Everything `tocsind` needs to start, read from `tocsin.yaml` and the folders it names.
///
/// Loading checks it all up front: a daemon with a broken roster or a typo in a rule
/// would page the wrong people or nobody, so it refuses to start instead.
public struct TocsinConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Base of the links put in pages, as people's browsers reach the daemon.
    public var publicURL: String
    public var database: DatabaseLocation
    public var maxBodyBytes: Int
    public var severityRules: SeverityRules
    /// The escalation policy of each severity.
    public var escalationPolicies: EscalationPolicies
    public var roster: Roster
    public var runbooks: [Runbook]
    /// Bearer token → who presents it.
    public var tokens: [String: Principal]
    public var ackLinkSecret: String
    public var ackLinkLifetime: Duration
    /// Timeout for one webhook delivery.
    public var deliveryTimeout: Duration
    /// Timeout for connecting to a webhook.
    public var deliveryConnectTimeout: Duration
    /// Retries and the default rate limit of page delivery.
    public var paging: PagingRules
    public var procedure: ProcedureRules
    /// Monitoring systems that send alerts in their own wire format; their tokens are in `tokens`.
    public var integrations: [Integration] = []
    public var heartbeats: [Heartbeat] = []
    /// Set when tocsind serves HTTPS.
    public var tls: TLSSettings?
    /// Who hears when Tocsin itself cannot work: contact methods paged without the database.
    public var fallbackContacts: [ContactMethod] = []
    public var fallbackRepeat: Duration = .seconds(300)
    /// How late a timer or page may run before tocsind is not ready and the fallback alarm goes.
    public var overdueAfter: Duration = .seconds(30)
    /// Where drills' trade-switch calls go and what their scorecards measure against.
    public var drills = DrillRules()
    /// What is archived and removed from the database, and when; nil keeps everything.
    public var retention: Retention?
    /// How shift handovers are timed.
    public var handover = HandoverRules()
    /// How long a stopping tocsind waits for pages on their way to be answered and recorded.
    public var drainTimeout: Duration = .seconds(10)

    static let topLevelKeys = [
        "listen", "public_url", "database", "contacts", "runbooks", "max_body_bytes",
        "severity", "escalation", "tokens", "ack_links", "delivery", "procedure", "integrations", "heartbeats", "fallback",
        "drills",
        "retention",
        "handover",
    ]

    /// Loads `path` and the files it refers to; relative paths are taken from the config file's folder.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TocsinConfiguration {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let root = try ConfigNode.load(url, displayName: path).allowingOnly(topLevelKeys)
        guard root.exists else { throw root.error("the file is empty") }
        func resolve(_ node: ConfigNode, default value: String) throws -> String {
            let text = try node.string(default: value)
            return text.hasPrefix("/") ? text : folder.appendingPathComponent(text).standardizedFileURL.path
        }

        // Each part is read even when an earlier one is wrong, so that one run names every
        // problem; a part that needs another (the people named in a policy need the roster)
        // waits for it.
        var problems: [ConfigError] = []
        func attempt<T>(_ read: () throws -> T) throws -> T? {
            do {
                return try read()
            } catch let error as ConfigError {
                problems.append(error)
            } catch let errors as ConfigErrors {
                problems += errors.errors
            }
            return nil
        }

        let listen = try attempt { try root["listen"].allowingOnly(["host", "port", "tls"]) }
        let host = try attempt { try listen?["host"].string(default: "127.0.0.1") } ?? nil
        let port = try attempt { () -> Int? in
            guard let listen else { return nil }
            let port = try listen["port"].int(default: 8080)
            guard (0...65535).contains(port) else { throw listen["port"].error("expected a port from 0 to 65535, got \(port)") }
            return port
        } ?? nil

        let roster = try attempt { try ContactsDirectory.load(folder: resolve(root["contacts"], default: "../Contacts"), environment: environment) }
        let rules = try attempt { try severityRules(root["severity"]) }
        let policies = try attempt { try roster.map { try EscalationPolicyText.parse(root["escalation"], roster: $0) } } ?? nil
        let ackLinks = try attempt { try root["ack_links"].allowingOnly(["secret", "secret_env", "lifetime"]) }
        let secret = try attempt { try ackLinks.map { try secretValue($0, environment: environment) } } ?? nil
        let ackLinkLifetime = try attempt { try ackLinks?["lifetime"].duration(default: .seconds(24 * 3600)) } ?? nil
        let delivery = try attempt { try root["delivery"].allowingOnly(["timeout", "connect_timeout", "retry", "rate_limit", "drain_timeout"]) }
        let paging = try attempt { try delivery.map(pagingRules) } ?? nil
        let deliveryTimeout = try attempt { try delivery?["timeout"].duration(default: .seconds(10)) } ?? nil
        let connectTimeout = try attempt { try delivery?["connect_timeout"].duration(default: .seconds(3)) } ?? nil
        let drainTimeout = try attempt { try delivery?["drain_timeout"].duration(default: .seconds(10)) } ?? nil
        let integrations = try attempt { try IntegrationSettings.load(root["integrations"], environment: environment) }
        let tokens = try attempt { () -> [String: Principal]? in
            guard let roster, let integrations else { return nil }
            var tokens = try AccessTokens.load(root["tokens"], roster: roster, environment: environment)
            for (token, principal) in integrations.tokens {
                guard tokens[token] == nil else { throw root["integrations"].error("integration \(principal.actor) uses a token already listed under tokens:") }
                tokens[token] = principal
            }
            return tokens
        } ?? nil
        let tls = try attempt { () -> TLSSettings? in
            guard let listen, listen["tls"].exists else { return nil }
            let node = try listen["tls"].allowingOnly(["certificate", "key"])
            let tls = TLSSettings(certificatePath: try resolve(node["certificate"], default: ""), keyPath: try resolve(node["key"], default: ""))
            for (key, path) in [("certificate", tls.certificatePath), ("key", tls.keyPath)] where !node[key].exists || !FileManager.default.isReadableFile(atPath: path) {
                throw node[key].error(node[key].exists ? "cannot read \(path)" : "missing; give the PEM file's path")
            }
            return tls
        } ?? nil
        let publicURL = try attempt { try root["public_url"].string(default: "\(tls == nil ? "http" : "https")://\(host ?? "127.0.0.1"):\(port ?? 8080)") }
        let location = try attempt { try Self.database(root["database"], environment: environment, resolve: resolve) }
        let maxBodyBytes = try attempt { try root["max_body_bytes"].int(default: 1 << 20) }
        let runbooks = try attempt { try RunbookDirectory.load(folder: resolve(root["runbooks"], default: "../Runbooks")) }
        let procedure = try attempt { try roster.map { try ProcedureSettings.load(root["procedure"], roster: $0, environment: environment) } } ?? nil
        let heartbeats = try attempt { try rules.map { try HeartbeatSettings.load(root["heartbeats"], urgencyLabel: $0.urgencyLabel) } } ?? nil
        let fallback = try attempt { () -> (contacts: [ContactMethod], repeatEvery: Duration, lateAfter: Duration)? in
            guard root["fallback"].exists else { return nil }
            let fallback = try root["fallback"].allowingOnly(["contacts", "repeat", "late_after"])
            let contacts = try fallback["contacts"].items().map { try ContactsDirectory.contactMethod($0, environment: environment) }
            guard !contacts.isEmpty else { throw fallback["contacts"].error("list at least one contact method (webhook, slack or sms)") }
            return (contacts, try fallback["repeat"].duration(default: .seconds(300)), try fallback["late_after"].duration(default: .seconds(30)))
        } ?? nil
        let drills = try attempt { try DrillSettings.load(root["drills"]) }
        let handover = try attempt { try HandoverSettings.load(root["handover"]) }

        let retention = try attempt { () -> Retention? in
            guard root["retention"].exists else { return nil }
            let node = try root["retention"].allowingOnly(["archive_after", "every", "directory"])
            guard node["archive_after"].exists else { throw node.error("archive_after is required: how long after closing an incident is archived (e.g. 90d)") }
            let retention = Retention(archiveAfter: try node["archive_after"].duration(), every: try node["every"].duration(default: .seconds(3600)),
                                      directory: try resolve(node["directory"], default: "../var/archive"))
            guard retention.archiveAfter >= .seconds(3600) else { throw node["archive_after"].error("must be at least 1h, so nothing is archived while people still work on it") }
            guard retention.every >= .seconds(60) else { throw node["every"].error("must be at least 1m") }
            return retention
        } ?? nil

        guard problems.isEmpty, let host, let port, let roster, let rules, let policies, let secret, let ackLinkLifetime, let paging,
              let deliveryTimeout, let connectTimeout, let integrations, let tokens, let publicURL, let location, let maxBodyBytes,
              let runbooks, let procedure, let heartbeats
        else {
            throw problems.count == 1 ? problems[0] as any Error : ConfigErrors(errors: problems)
        }
        var configuration = TocsinConfiguration(
            host: host,
            port: port,
            publicURL: publicURL,
            database: location,
            maxBodyBytes: maxBodyBytes,
            severityRules: rules,
            escalationPolicies: policies,
            roster: roster,
            runbooks: runbooks,
            tokens: tokens,
            ackLinkSecret: secret,
            ackLinkLifetime: ackLinkLifetime,
            deliveryTimeout: deliveryTimeout,
            deliveryConnectTimeout: connectTimeout,
            paging: paging,
            procedure: procedure
        )
        configuration.integrations = integrations.integrations
        configuration.heartbeats = heartbeats
        configuration.tls = tls
        configuration.drills = drills ?? DrillRules()
        configuration.retention = retention
        configuration.handover = handover ?? HandoverRules()
        if let drainTimeout { configuration.drainTimeout = drainTimeout }
        if let fallback {
            configuration.fallbackContacts = fallback.contacts
            configuration.fallbackRepeat = fallback.repeatEvery
            configuration.overdueAfter = fallback.lateAfter
        }
        return configuration
    }

    /// A file path (SQLite, relative to the config's folder) or a `postgres://` address.
    static func database(_ node: ConfigNode, environment: [String: String], resolve: (ConfigNode, String) throws -> String) throws -> DatabaseLocation {
        let text = try node.string(default: "../var/tocsin.sqlite")
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else { return .sqlite(path: try resolve(node, "../var/tocsin.sqlite")) }
        do {
            return .postgres(try PostgresAddress(url: text, password: environment[PostgresAddress.passwordVariable]))
        } catch let error as AddressError {
            throw node.error(error.description)
        }
    }

    static func severityRules(_ node: ConfigNode) throws -> SeverityRules {
        let node = try node.allowingOnly(["major", "services", "default_tier", "urgency_label", "urgency", "default_urgency", "raise_after"])
        let majorText = try node["major"].string(default: "SEV2")
        guard let major = Severity(name: majorText) else { throw node["major"].error("expected SEV1, SEV2, SEV3 or SEV4, got \"\(majorText)\"") }
        var tiers: [String: Int] = [:]
        for (service, tier) in try node["services"].entries() {
            let value = try tier.int()
            guard (1...4).contains(value) else { throw tier.error("a tier is 1 (most important) to 4, got \(value)") }
            tiers[service] = value
        }
        var urgency: [String: Int] = [:]
        for (name, offset) in try node["urgency"].entries() {
            urgency[name.lowercased()] = try offset.int()
        }
        let defaultUrgency = try node["default_urgency"].string(default: "medium").lowercased()
        let offsets = urgency.isEmpty ? ["high": 0, "medium": 1, "low": 2] : urgency
        guard let defaultOffset = offsets[defaultUrgency] else {
            throw node["default_urgency"].error("\"\(defaultUrgency)\" is not one of the urgency values: \(offsets.keys.sorted().joined(separator: ", "))")
        }
        return SeverityRules(
            serviceTiers: tiers,
            defaultTier: try node["default_tier"].int(default: 3),
            urgencyLabel: try node["urgency_label"].string(default: "urgency"),
            urgencyOffsets: offsets,
            defaultUrgencyOffset: defaultOffset,
            raiseAfter: try node["raise_after"].items().map { try $0.duration() },
            majorThreshold: major
        )
    }

    /// `delivery.retry: {base: 1s, cap: 5m, jitter: 0.5, give_up_after: 24h}` and `delivery.rate_limit`.
    static func pagingRules(_ delivery: ConfigNode) throws -> PagingRules {
        var rules = PagingRules()
        let retry = try delivery["retry"].allowingOnly(["base", "cap", "jitter", "give_up_after"])
        if retry.exists {
            let jitterText = try retry["jitter"].string(default: "0.5")
            guard let jitter = Double(jitterText), (0...1).contains(jitter) else {
                throw retry["jitter"].error("expected a fraction from 0 to 1, got \"\(jitterText)\"")
            }
            rules.retry = RetrySchedule(base: try retry["base"].duration(default: .seconds(1)), cap: try retry["cap"].duration(default: .seconds(300)),
                                        jitter: jitter, giveUpAfter: try retry["give_up_after"].duration(default: .seconds(24 * 3600)))
            guard rules.retry.base > .zero else { throw retry["base"].error("must be longer than 0s") }
        }
        if delivery["rate_limit"].exists { rules.rateLimit = try ContactsDirectory.rateLimit(delivery["rate_limit"]) }
        return rules
    }

    static func secretValue(_ node: ConfigNode, environment: [String: String]) throws -> String {
        if node["secret_env"].exists {
            let name = try node["secret_env"].string()
            if let value = environment[name], !value.isEmpty { return value }
            if !node["secret"].exists { throw node["secret_env"].error("environment variable \(name) is not set") }
        }
        let secret = try node["secret"].string()
        guard secret.utf8.count >= 16 else { throw node["secret"].error("too short; use at least 16 characters") }
        return secret
    }
}
