import Foundation

/// What a person asks for when silencing alerts or declaring a maintenance window, before
/// it is checked and stored.
public struct SilenceRequest: Sendable, Hashable {
    public var matchers: [SilenceMatcher]
    /// Nil means now; a time ahead makes a maintenance window.
    public var startsAt: Date?
    public var endsAt: Date
    public var comment: String

    public init(matchers: [SilenceMatcher], startsAt: Date?, endsAt: Date, comment: String) {
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
    }

    /// The request with its start filled in, or what is wrong with it.
    public func validated(now: Date) throws -> SilenceRequest {
        guard !matchers.isEmpty else { throw SilenceRequestError.noMatchers }
        let checked = try matchers.map { try $0.validated() }
        guard checked.contains(where: { !$0.matchesEmpty }) else { throw SilenceRequestError.matchesEverything }
        guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw SilenceRequestError.noComment }
        let start = startsAt ?? now
        guard endsAt > now else { throw SilenceRequestError.endsInThePast(endsAt) }
        guard endsAt > start else { throw SilenceRequestError.endsBeforeStart(start: start, end: endsAt) }
        return SilenceRequest(matchers: checked, startsAt: start, endsAt: endsAt, comment: comment)
    }
}

/// Why a silence request is refused.
public enum SilenceRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    case noMatchers
    case matchesEverything
    case noComment
    case endsBeforeStart(start: Date, end: Date)
    case endsInThePast(Date)

    public var description: String {
        switch self {
        case .noMatchers:
            #"A silence needs at least one matcher, such as {"name": "service", "value": "payments-core"}."#
        case .matchesEverything:
            "Every matcher also matches an alert without that label, so this silence would hold every alert. Add a matcher that requires a value, such as service = payments-core."
        case .noComment:
            "Say why in comment: the record shows who silenced what and why."
        case .endsBeforeStart(let start, let end):
            "ends_at (\(UTCTime.string(end))) must be after starts_at (\(UTCTime.string(start)))."
        case .endsInThePast(let end):
            "ends_at (\(UTCTime.string(end))) is already past."
        }
    }
}
