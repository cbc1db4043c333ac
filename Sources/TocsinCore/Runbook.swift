/// A scenario's troubleshooting and recovery procedure, loaded from `Runbooks/`.
///
/// The matchers decide which alerts belong to the scenario; the steps become the
/// incident's checklist.
public struct Runbook: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var title: String
    /// Label equalities that must all hold; `service` matches the alert's service.
    public var matchers: [String: String]
    /// Clear-cut scenarios whose recovery plan needs no leadership approval.
    public var preAuthorized: Bool
    public var steps: [String]
    /// The Markdown body, for people reading the page.
    public var body: String

    public init(id: String, title: String, matchers: [String: String], preAuthorized: Bool, steps: [String], body: String) {
        self.id = id
        self.title = title
        self.matchers = matchers
        self.preAuthorized = preAuthorized
        self.steps = steps
        self.body = body
    }

    /// True when every matcher holds for `alert`.
    public func matches(_ alert: AlertReport) -> Bool {
        !matchers.isEmpty && matchers.allSatisfy { key, value in
            (key == "service" ? alert.service : alert.labels[key]) == value
        }
    }
}

extension Array where Element == Runbook {
    /// The most specific runbook for `alert`: the one with the most matchers that all hold.
    public func bestMatch(for alert: AlertReport) -> Runbook? {
        filter { $0.matches(alert) }.max { ($0.matchers.count, $1.id) < ($1.matchers.count, $0.id) }
    }
}
