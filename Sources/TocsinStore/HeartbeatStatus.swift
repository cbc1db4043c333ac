import Foundation
import TocsinCore

/// Why the store refused a heartbeat check-in.
public enum HeartbeatError: Error, Sendable, Hashable, CustomStringConvertible {
    case notDeclared(String, known: [String])

    public var description: String {
        switch self {
        case .notDeclared(let name, let known):
            "No heartbeat is called \"\(name)\"; declare it under `heartbeats:` in tocsin.yaml"
                + (known.isEmpty ? "." : ". Declared: \(known.joined(separator: ", ")).")
        }
    }
}

/// A heartbeat and when it last checked in, as `GET /api/v1/heartbeats` shows it.
public struct HeartbeatStatus: Sendable, Hashable, Codable {
    public var name: String
    public var intervalSeconds: Double
    public var lastCheckInAt: Date?
    /// When a check-in is next due; nil before the first check-in (the deadline is armed by it).
    public var dueAt: Date?
    public var checkIns: Int
    /// True while the alert raised by a missed check-in fires.
    public var missed: Bool

    public init(name: String, intervalSeconds: Double, lastCheckInAt: Date?, dueAt: Date?, checkIns: Int, missed: Bool) {
        self.name = name
        self.intervalSeconds = intervalSeconds
        self.lastCheckInAt = lastCheckInAt
        self.dueAt = dueAt
        self.checkIns = checkIns
        self.missed = missed
    }

    private enum CodingKeys: String, CodingKey {
        case name, missed
        case intervalSeconds = "interval_s", lastCheckInAt = "last_check_in_at", dueAt = "due_at", checkIns = "check_ins"
    }
}
