import Foundation

/// The earliest deadlines one commit wrote: when its first timer and its first page (one
/// leased to this instance aside) fall due. A store that tells them saves the engine reading
/// its next deadlines back after every opening, to wake a loop that would sleep past them.
public struct DeadlinesWritten: Sendable, Hashable {
    public var timer: Date?
    public var page: Date?

    public init(timer: Date? = nil, page: Date? = nil) {
        self.timer = timer
        self.page = page
    }

    /// The earlier of each deadline of both.
    public func merged(with other: DeadlinesWritten) -> DeadlinesWritten {
        DeadlinesWritten(timer: [timer, other.timer].compactMap { $0 }.min(), page: [page, other.page].compactMap { $0 }.min())
    }

    /// The deadlines of several commits together; nil unless every one of them was told.
    public static func merged(_ all: [DeadlinesWritten?]) -> DeadlinesWritten? {
        all.reduce(DeadlinesWritten()) { sum, one in sum.flatMap { sum in one.map(sum.merged) } }
    }
}
