import Foundation

/// Spans of time as a person on call reads them: "4 min", "1 h 20 min", "2 d 3 h".
enum Durations {
    static func text(_ seconds: TimeInterval) -> String {
        let total = Int(abs(seconds).rounded(.down))
        let days = total / 86_400, hours = total % 86_400 / 3600, minutes = total % 3600 / 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        if minutes > 0 { return "\(minutes) min" }
        return "\(total) s"
    }
}
