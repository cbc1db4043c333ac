import TocsinCore

/// Reads the `heartbeats:` list: monitors that must check in on time, and the alert a
/// missed check-in raises.
///
/// ```yaml
/// heartbeats:
///   - name: prometheus-pipeline
///     interval: 2m
///     service: payments-core
///     urgency: high
///     labels: {scenario: monitoring_down}
/// ```
enum HeartbeatSettings {
    static func load(_ node: ConfigNode, urgencyLabel: String) throws -> [Heartbeat] {
        var heartbeats: [Heartbeat] = []
        for item in try node.items() {
            let item = try item.allowingOnly(["name", "interval", "service", "urgency", "summary", "labels"])
            let name = try item["name"].string()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw item["name"].error("use letters, digits, - _ or . for a heartbeat's name (it is part of its URL), got \"\(name)\"")
            }
            guard !heartbeats.contains(where: { $0.name == name }) else { throw item["name"].error("heartbeat \"\(name)\" is declared twice") }
            let interval = try item["interval"].duration()
            guard interval >= .seconds(1) else { throw item["interval"].error("an interval of at least 1s is needed") }
            var labels: [String: String] = [:]
            for (key, value) in try item["labels"].entries() { labels[key] = try value.string() }
            labels[urgencyLabel] = try item["urgency"].string(default: "high").lowercased()
            heartbeats.append(Heartbeat(
                name: name, interval: interval, service: try item["service"].string(),
                summary: item["summary"].exists ? try item["summary"].string() : nil, labels: labels
            ))
        }
        return heartbeats
    }
}
