/// How bad a fault is, from `sev1` (all business down) to `sev4` (cosmetic).
///
/// A lower number is more severe, as payment teams say it: "raise to SEV1" means "make it worse".
public enum Severity: Int, Sendable, Hashable, CaseIterable, Comparable, Codable, CustomStringConvertible {
    case sev1 = 1
    case sev2 = 2
    case sev3 = 3
    case sev4 = 4

    /// Parses `SEV1`…`SEV4` (any case), as written in config and on the wire.
    public init?(name: String) {
        let upper = name.uppercased()
        guard upper.hasPrefix("SEV"), let level = Int(upper.dropFirst(3)), let severity = Severity(rawValue: level) else {
            return nil
        }
        self = severity
    }

    /// Clamps any level into SEV1…SEV4.
    public init(clamping level: Int) {
        self = Severity(rawValue: min(4, max(1, level)))!
    }

    public var description: String { "SEV\(rawValue)" }

    /// `a < b` means `a` is *less severe* than `b`, so `max` picks the worst.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue > rhs.rawValue }

    /// True when `self` is as severe as `threshold` or worse.
    public func isAtLeast(_ threshold: Severity) -> Bool { rawValue <= threshold.rawValue }

    /// One level worse, stopping at SEV1.
    public var raised: Severity { Severity(clamping: rawValue - 1) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let severity = Severity(name: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected SEV1, SEV2, SEV3 or SEV4, got \"\(text)\"")
        }
        self = severity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
