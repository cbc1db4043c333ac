import Foundation

/// How one alert source's labels become Tocsin's service, urgency and summary.
///
/// Every team labels its alerts its own way (`service`, `app`, `team`; `severity: critical`
/// or `urgency: high`), so each integration says which of its labels carry what Tocsin
/// needs. The defaults fit the usual Prometheus conventions.
public struct LabelMapping: Sendable, Hashable {
    /// Labels tried in order for the affected service.
    public var serviceLabels: [String]
    /// The service when none of `serviceLabels` is present.
    public var defaultService: String
    /// Labels tried in order for the urgency.
    public var urgencyLabels: [String]
    /// A source's urgency or severity word (lower case) → Tocsin's urgency value. Words not
    /// listed pass through unchanged.
    public var urgencyValues: [String: String]
    /// Annotations tried in order for the summary, then `summaryLabels`.
    public var summaryAnnotations: [String]
    public var summaryLabels: [String]

    /// PagerDuty's and Prometheus's severity words, read as Tocsin urgencies.
    public static let standardUrgencyValues = [
        "critical": "critical", "high": "high", "error": "high",
        "warning": "medium", "medium": "medium", "info": "low", "low": "low",
    ]

    public init(
        serviceLabels: [String] = ["service"], defaultService: String = "unknown",
        urgencyLabels: [String] = ["urgency", "severity"], urgencyValues: [String: String] = LabelMapping.standardUrgencyValues,
        summaryAnnotations: [String] = ["summary", "description"], summaryLabels: [String] = ["alertname"]
    ) {
        self.serviceLabels = serviceLabels
        self.defaultService = defaultService
        self.urgencyLabels = urgencyLabels
        self.urgencyValues = urgencyValues
        self.summaryAnnotations = summaryAnnotations
        self.summaryLabels = summaryLabels
    }

    public func service(labels: [String: String]) -> String {
        first(of: serviceLabels, in: labels) ?? defaultService
    }

    /// Tocsin's urgency value for these labels, or nil when none of `urgencyLabels` is set.
    ///
    /// When `known` (the urgency values severity rules define) lacks the mapped value and it is
    /// one of `critical`, `high`, `medium`, `low`, the next less urgent value that `known` has is
    /// used: a `critical` alert counts as `high` where no `critical` urgency is configured.
    public func urgency(labels: [String: String], known: Set<String> = []) -> String? {
        guard let word = first(of: urgencyLabels, in: labels)?.lowercased() else { return nil }
        let mapped = urgencyValues[word] ?? word
        guard !known.isEmpty, !known.contains(mapped), let position = Self.ladder.firstIndex(of: mapped) else { return mapped }
        return Self.ladder[position...].first { known.contains($0) } ?? mapped
    }

    /// Tocsin's usual urgency values, most urgent first.
    static let ladder = ["critical", "high", "medium", "low"]

    public func summary(labels: [String: String], annotations: [String: String]) -> String? {
        first(of: summaryAnnotations, in: annotations) ?? first(of: summaryLabels, in: labels)
    }

    /// An alert report for a source alert. The source's labels are kept as they are, with the
    /// urgency this mapping found written under the label severity rules read.
    public func report(
        source: String, dedupKey: String, labels: [String: String], annotations: [String: String],
        status: AlertStatus, startsAt: Date, urgency rules: SeverityRules, details: [String: String]
    ) -> AlertReport {
        var labels = labels
        if let urgency = urgency(labels: labels, known: Set(rules.urgencyOffsets.keys)) { labels[rules.urgencyLabel] = urgency }
        return AlertReport(
            source: source, dedupKey: dedupKey,
            summary: summary(labels: labels, annotations: annotations) ?? dedupKey,
            service: service(labels: labels), labels: labels, status: status, startsAt: startsAt, details: details
        )
    }

    private func first(of names: [String], in values: [String: String]) -> String? {
        names.lazy.compactMap { values[$0] }.first { $0.unicodeScalars.contains { !$0.properties.isWhitespace } }
    }
}
