import Foundation

/// What a drill throws at the team on a schedule, so that it practises the hard paths: more
/// alerts, a stop-trade call that fails, an operation that fails, a vendor who does not answer.
///
/// Read from YAML (`TocsinConfig.DrillScriptText`); each injection becomes a timer row when the
/// drill opens, so the schedule survives a restart like every other deadline.
public struct DrillScript: Sendable, Hashable, Codable {
    public var name: String?
    public var injections: [DrillInjection]

    public init(name: String? = nil, injections: [DrillInjection] = []) {
        self.name = name
        self.injections = injections
    }
}

/// One scripted event, due `after` the drill opened.
public struct DrillInjection: Sendable, Hashable, Codable {
    /// What goes wrong.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An alert fires on `service` with `summary`, raising the drill to `severity` if graver.
        case alertFires = "alert_fires"
        /// The alert `service` fired resolves.
        case alertResolves = "alert_resolves"
        /// The next stop-trade or resume-trade call of the drill fails.
        case tradeSwitchFails = "trade_switch_fails"
        /// An executor reports that `action` failed with `result`.
        case operationFails = "operation_fails"
        /// The vendor (`person`) does not answer.
        case vendorSilent = "vendor_silent"
    }

    /// Seconds after the drill opened.
    public var after: Int
    public var kind: Kind
    public var service: String?
    public var summary: String?
    public var severity: Severity?
    /// The operation that fails.
    public var action: String?
    public var result: String?
    /// The executor reporting, or the silent vendor; the incident's own executor when not named.
    public var person: String?

    public init(after: Int, kind: Kind, service: String? = nil, summary: String? = nil, severity: Severity? = nil, action: String? = nil,
                result: String? = nil, person: String? = nil) {
        self.after = after
        self.kind = kind
        self.service = service
        self.summary = summary
        self.severity = severity
        self.action = action
        self.result = result
        self.person = person
    }

    private enum CodingKeys: String, CodingKey { case after, kind, service, summary, severity, action, result, person }

    /// The injection as its timer row's subject carries it.
    public var subject: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The injection a timer row's subject carries, if it is one.
    public init?(subject: String) {
        guard let value = try? JSONDecoder().decode(DrillInjection.self, from: Data(subject.utf8)) else { return nil }
        self = value
    }
}
