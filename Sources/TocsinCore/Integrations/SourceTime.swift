import Foundation

/// Reads the times monitoring programs write: RFC 3339 with up to nanoseconds
/// (`2026-11-21T10:00:00.123456789Z`) or an offset, and Go's zero time
/// (`0001-01-01T00:00:00Z`), which means "not set".
public enum SourceTime: Sendable, Hashable {
    case absent
    case at(Date)

    /// Parses `text`; nil when it is not an RFC 3339 time at all.
    public init?(_ text: String) {
        if !text.hasPrefix("0001-01-01T00:00:00"), let date = UTCTime.utcDate(text) {
            self = .at(date)
            return
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("0001-01-01T00:00:00") {
            self = .absent
            return
        }
        guard let date = UTCTime.date(Self.millisecondPrecision(trimmed)) else { return nil }
        self = .at(date)
    }

    public var date: Date? {
        if case .at(let date) = self { return date }
        return nil
    }

    /// Cuts fractional seconds to three digits, as Foundation's ISO 8601 parser expects.
    static func millisecondPrecision(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), let timeStart = text.firstIndex(of: "T"), dot > timeStart else { return text }
        let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return text }
        let rest = text[digits.endIndex...]
        let kept = digits.prefix(3) + String(repeating: "0", count: max(0, 3 - digits.count))
        return text[..<dot] + "." + kept + rest
    }
}
