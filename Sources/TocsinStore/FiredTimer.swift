import Foundation
import TocsinCore

/// A timer that fired: what it was, when it was due and when it fired.
public struct FiredTimer: Sendable, Hashable {
    public var kind: String
    public var incidentID: Int64?
    public var dueAt: Date
    /// The severity of the incident this timer opened (a severity review that made an alert
    /// grave enough), if it opened one.
    public var openedSeverity: Severity?

    public init(kind: String, incidentID: Int64?, dueAt: Date, openedSeverity: Severity? = nil) {
        self.kind = kind
        self.incidentID = incidentID
        self.dueAt = dueAt
        self.openedSeverity = openedSeverity
    }
}
