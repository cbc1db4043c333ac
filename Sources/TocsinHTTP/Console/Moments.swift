import Foundation
import TocsinCore

/// Instants as the console shows them, to the second in UTC, the time every responder shares:
/// "2026-11-21 10:00:05 UTC". The exact instant stays in each `<time datetime>`.
enum Moments {
    static func text(_ date: Date) -> String {
        UTCTime.string(date).prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}
