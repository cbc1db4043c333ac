import Foundation

/// A silence or maintenance window: for a while, alerts whose labels match are recorded but
/// page nobody.
///
/// A maintenance window is a silence whose start lies ahead. Silences are never deleted:
/// ending one early records who ended it, so a review can see why nobody was paged.
public struct Silence: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var matchers: [SilenceMatcher]
    public var startsAt: Date
    public var endsAt: Date
    public var createdBy: String
    public var comment: String
    public var createdAt: Date
    /// Set when someone ended the silence before `endsAt`.
    public var expiredAt: Date?
    public var expiredBy: String?

    public init(id: Int64, matchers: [SilenceMatcher], startsAt: Date, endsAt: Date, createdBy: String, comment: String,
                createdAt: Date, expiredAt: Date? = nil, expiredBy: String? = nil) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.createdAt = createdAt
        self.expiredAt = expiredAt
        self.expiredBy = expiredBy
    }

    /// When it stops covering alerts: its planned end, or when someone ended it.
    public var effectiveEnd: Date { min(endsAt, expiredAt ?? endsAt) }

    public func state(at now: Date) -> SilenceState {
        if now >= effectiveEnd { return .expired }
        return now < startsAt ? .pending : .active
    }

    /// True when every matcher holds for `alert`.
    public func matches(_ alert: AlertReport) -> Bool {
        matchers.allSatisfy { $0.matches(alert) }
    }

    private enum CodingKeys: String, CodingKey {
        case id, matchers, comment
        case startsAt = "starts_at", endsAt = "ends_at", createdBy = "created_by", createdAt = "created_at"
        case expiredAt = "expired_at", expiredBy = "expired_by"
    }
}

/// Where a silence is in its life.
public enum SilenceState: String, Sendable, Codable, Hashable {
    /// Scheduled: a maintenance window that has not begun.
    case pending
    case active
    case expired
}

/// One condition of a silence, as Alertmanager writes them: `name = value`, `name != value`,
/// `name =~ regex`, `name !~ regex`.
///
/// The name `service` matches the alert's service, every other name one of its labels; a
/// label the alert lacks counts as empty, so `team != payments` holds for an alert with no team.
public struct SilenceMatcher: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    /// `value` is a regular expression that must match the whole label value.
    public var isRegex: Bool
    /// False for the negated forms (`!=`, `!~`).
    public var isEqual: Bool

    public init(name: String, value: String, isRegex: Bool = false, isEqual: Bool = true) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    /// Checks the matcher can be used; throws what to fix when it cannot.
    public func validated() throws -> SilenceMatcher {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw SilenceMatcherError.emptyName }
        if isRegex {
            do {
                _ = try Regex(value)
            } catch {
                throw SilenceMatcherError.badRegex(name: name, pattern: value, reason: "\(error)")
            }
        }
        return self
    }

    public func matches(_ alert: AlertReport) -> Bool {
        let actual = name == "service" ? alert.service : alert.labels[name] ?? ""
        return matches(value: actual) == isEqual
    }

    /// The matcher as Alertmanager writes it: `service="payments-core"`, `alertname=~"Disk.*"`.
    public var text: String {
        let op = isEqual ? (isRegex ? "=~" : "=") : (isRegex ? "!~" : "!=")
        return "\(name)\(op)\"\(value)\""
    }

    /// True when the matcher would also hold for an alert lacking the label: such a matcher
    /// narrows nothing on its own.
    public var matchesEmpty: Bool { matches(value: "") == isEqual }

    private func matches(value actual: String) -> Bool {
        guard isRegex else { return actual == value }
        guard let regex = try? Regex(value) else { return false }
        return (try? regex.wholeMatch(in: actual)) != nil
    }

    private enum CodingKeys: String, CodingKey {
        case name, value, isRegex = "regex", isEqual = "equal"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        value = try container.decode(String.self, forKey: .value)
        isRegex = try container.decodeIfPresent(Bool.self, forKey: .isRegex) ?? false
        isEqual = try container.decodeIfPresent(Bool.self, forKey: .isEqual) ?? true
    }
}

/// Why a silence matcher cannot be used.
public enum SilenceMatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyName
    case badRegex(name: String, pattern: String, reason: String)

    public var description: String {
        switch self {
        case .emptyName: "A matcher has an empty name; name the label it tests, such as service or alertname."
        case .badRegex(let name, let pattern, let reason): "The matcher on \(name) is not a valid regular expression (\(pattern)): \(reason)."
        }
    }
}
