import Foundation
import TocsinCore

/// Why the store refused a silence command.
public enum SilenceError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(Int64)
    case alreadyExpired(Int64)

    public var description: String {
        switch self {
        case .notFound(let id): "There is no silence \(id). GET /api/v1/silences lists them."
        case .alreadyExpired(let id): "Silence \(id) has already ended."
        }
    }
}
