import Foundation
import TocsinCore

/// The first event of one incident whose hash or link does not match.
public struct BrokenChain: Sendable, Hashable {
    public var incidentID: Int64
    public var sequence: Int
    public var kind: TimelineEventKind
    public var reason: String

    public init(incidentID: Int64, sequence: Int, kind: TimelineEventKind, reason: String) {
        self.incidentID = incidentID
        self.sequence = sequence
        self.kind = kind
        self.reason = reason
    }
}
