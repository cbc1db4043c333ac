import Foundation

/// Someone stepping away names who covers for them, for a while.
///
/// The plan asks for continuous duty: wherever `person` would be paged between `start` and
/// `end` (as a role holder, a rotation's member or by name), `standIn` is paged instead.
public struct StandIn: Sendable, Hashable {
    public var person: String
    public var standIn: String
    public var start: Date
    public var end: Date
    public var reason: String?

    public init(person: String, standIn: String, start: Date, end: Date, reason: String? = nil) {
        self.person = person
        self.standIn = standIn
        self.start = start
        self.end = end
        self.reason = reason
    }

    public func covers(_ instant: Date) -> Bool { start <= instant && instant < end }
}
