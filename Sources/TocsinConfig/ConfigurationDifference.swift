import TocsinCore

/// What a reloaded configuration changes, in lines a person reads ("people: +ana, -ben"),
/// and what it changes that only a restart applies (where tocsind listens, its database).
public struct ConfigurationDifference: Sendable, Hashable {
    public var changes: [String]
    public var needsRestart: [String]

    public init(from old: TocsinConfiguration, to new: TocsinConfiguration) {
        var changes: [String] = []
        func named<Value: Equatable>(_ what: String, _ old: [String: Value], _ new: [String: Value]) {
            let added = new.keys.filter { old[$0] == nil }.sorted()
            let removed = old.keys.filter { new[$0] == nil }.sorted()
            let changed = new.keys.filter { old[$0] != nil && old[$0] != new[$0] }.sorted()
            let parts = added.map { "+\($0)" } + removed.map { "-\($0)" } + changed.map { "~\($0)" }
            if !parts.isEmpty { changes.append("\(what): \(parts.joined(separator: ", "))") }
        }
        func whole(_ what: String, _ differs: Bool) {
            if differs { changes.append("\(what): changed") }
        }
        named("people", old.roster.people, new.roster.people)
        named("roles", Dictionary(uniqueKeysWithValues: old.roster.roles.map { ($0.key.rawValue, $0.value) }),
              Dictionary(uniqueKeysWithValues: new.roster.roles.map { ($0.key.rawValue, $0.value) }))
        named("rotations", old.roster.rotations, new.roster.rotations)
        whole("stand-ins", old.roster.standIns != new.roster.standIns)
        named("runbooks", Dictionary(old.runbooks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
              Dictionary(new.runbooks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        whole("escalation", old.escalationPolicies != new.escalationPolicies)
        whole("severity", old.severityRules != new.severityRules)
        whole("procedure", old.procedure != new.procedure)
        whole("handover", old.handover != new.handover)
        whole("delivery", old.paging != new.paging || old.deliveryTimeout != new.deliveryTimeout || old.deliveryConnectTimeout != new.deliveryConnectTimeout)
        whole("ack_links", old.ackLinkSecret != new.ackLinkSecret || old.ackLinkLifetime != new.ackLinkLifetime)
        whole("public_url", old.publicURL != new.publicURL)
        whole("tokens", old.tokens != new.tokens)
        named("integrations", Dictionary(old.integrations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
              Dictionary(new.integrations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
        named("heartbeats", Dictionary(old.heartbeats.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
              Dictionary(new.heartbeats.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
        self.changes = changes

        var restart: [String] = []
        if old.host != new.host || old.port != new.port || old.tls != new.tls { restart.append("listen") }
        if old.database != new.database { restart.append("database") }
        if old.maxBodyBytes != new.maxBodyBytes { restart.append("max_body_bytes") }
        if old.fallbackContacts != new.fallbackContacts || old.fallbackRepeat != new.fallbackRepeat || old.overdueAfter != new.overdueAfter {
            restart.append("fallback")
        }
        needsRestart = restart
    }
}
