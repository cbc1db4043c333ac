import Foundation
import TocsinCore

/// What the record holds now that an operator watches from outside: the page outbox and the
/// incidents still open. Read when `/metrics` is scraped, so it is true whichever instance
/// wrote it; it carries counts and ages only, never a person, an address or alert text.
public struct StoredGauges: Sendable, Hashable {
    /// Pages waiting in the outbox (due now, or waiting for a retry), by channel.
    public var pendingPages: [String: Int]
    /// When the oldest page still waiting was queued; nil when the outbox is empty.
    public var oldestPendingPage: Date?
    /// Incidents not yet closed, by stage and severity.
    public var openIncidents: [OpenIncidentCount]

    public init(pendingPages: [String: Int] = [:], oldestPendingPage: Date? = nil, openIncidents: [OpenIncidentCount] = []) {
        self.pendingPages = pendingPages
        self.oldestPendingPage = oldestPendingPage
        self.openIncidents = openIncidents
    }

    /// Every page waiting, whatever its channel.
    public var outboxDepth: Int { pendingPages.values.reduce(0, +) }

    /// How many open incidents are at `stage` with `severity`.
    public func openIncidents(at stage: Stage, severity: Severity) -> Int {
        openIncidents.first { $0.stage == stage && $0.severity == severity }?.count ?? 0
    }
}

/// How many open incidents share a stage and a severity.
public struct OpenIncidentCount: Sendable, Hashable {
    public var stage: Stage
    public var severity: Severity
    public var count: Int

    public init(stage: Stage, severity: Severity, count: Int) {
        self.stage = stage
        self.severity = severity
        self.count = count
    }
}
