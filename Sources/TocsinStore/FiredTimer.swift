import Foundation
import TocsinCore

/// A timer that fired: what it was, when it was due and when it fired.
public struct FiredTimer: Sendable, Hashable {
    public var kind: String
    public var incidentID: Int64?
    public var dueAt: Date

    public init(kind: String, incidentID: Int64?, dueAt: Date) {
        self.kind = kind
        self.incidentID = incidentID
        self.dueAt = dueAt
    }
}
