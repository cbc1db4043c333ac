import Foundation

/// Tocsin's one way of writing and reading times: ISO 8601 in UTC.
public enum UTCTime {
    /// `2026-11-21T10:00:00.123Z`, exact to the millisecond (rounded, never truncated, so
    /// a time written and read back is the time that was hashed).
    public static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = (millis >= 0 ? millis / 1000 : (millis - 999) / 1000, ((millis % 1000) + 1000) % 1000)
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        return whole.dropLast() + String(format: ".%03dZ", fraction)
    }

    /// Accepts times with or without fractional seconds, with `Z` or an offset.
    public static func date(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
