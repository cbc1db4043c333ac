import Foundation

/// What to do with the pages due for one destination, given its rate limit and what it
/// was sent recently.
///
/// A flooded person gets one message listing every incident instead of a storm of them,
/// and nothing is dropped: pages over the limit wait for room and then go out together.
public enum BundlingDecision: Sendable, Hashable {
    /// Send each page on its own.
    case sendEach
    /// Send all of them as one message.
    case bundle
    /// No room now; look again at this time.
    case wait(until: Date)

    /// Decides for `due` pages (at least one) to a destination that was sent messages at
    /// `recentSends` (any order), under `limit`, at `now`.
    public static func decide(due: Int, recentSends: [Date], limit: RateLimit, now: Date) -> BundlingDecision {
        guard !limit.isUnlimited else { return .sendEach }
        let windowStart = now.addingTimeInterval(-limit.per.seconds)
        let inWindow = recentSends.filter { $0 > windowStart }.sorted()
        let room = limit.messages - inWindow.count
        if room <= 0 {
            // The oldest send in the window leaves it after `per`; then there is room for one.
            let oldest = inWindow[inWindow.count - limit.messages]
            return .wait(until: oldest.addingTimeInterval(limit.per.seconds))
        }
        return due <= room ? .sendEach : .bundle
    }

    /// Whether a due page goes out as it is, with no rate limit to weigh: a retry, a bundle,
    /// a notice (which has no page message), a first attempt to a destination without a limit,
    /// or a page that was claimed before and may have gone out (its sender died before recording
    /// the attempt): sent again under its own key, which the receiver drops, never inside a
    /// bundle that would tell the person about it twice.
    public static func goesAsItIs(attempts: Int, kind: PageRequest.Kind, hasMessage: Bool, limit: RateLimit, claimedBefore: Bool) -> Bool {
        attempts > 0 || claimedBefore || kind == .bundle || !hasMessage || limit.isUnlimited
    }
}

extension ResponseRules {
    /// The rate limit of `person`'s `channel`: its contact method's own, or the default.
    public func rateLimit(person: String, channel: String) -> RateLimit {
        roster.people[person]?.contactMethods.first { $0.channel == channel }?.rateLimit ?? paging.rateLimit
    }

    /// The longest window of any rate limit: how far back a destination's sends can matter.
    public var longestRateLimitWindow: Duration {
        roster.people.values.flatMap(\.contactMethods).compactMap(\.rateLimit).map(\.per).reduce(paging.rateLimit.per, max)
    }
}
