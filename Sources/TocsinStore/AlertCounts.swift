import Foundation
import TocsinCore

/// How many alerts the store holds, by status.
public struct AlertCounts: Sendable, Codable, Hashable {
    public var firing: Int
    public var resolved: Int

    public init(firing: Int, resolved: Int) {
        self.firing = firing
        self.resolved = resolved
    }
}
