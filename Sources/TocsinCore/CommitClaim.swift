import Foundation

/// Which of the pages a commit has just queued, due at once (an incident's first pages), the
/// committing instance takes for itself in that same commit, so that they leave without a
/// claim of their own.
///
/// It takes what a claim would take at that moment: pages that go as they are, and first
/// attempts that fit their destination's rate limit. What a claim would bundle or hold back,
/// and every page to a destination that has other pages due, is left to the claim, which
/// decides as it always does.
public struct CommitClaim: Sendable, Hashable {
    /// The pages to lease to this instance and send now, in the order queued.
    public var taken: [PageRequest] = []
    /// The sends to count against each destination's rate limit for the pages taken.
    public var sends: [String: Int] = [:]
    /// Whether any page due now was left for a claim.
    public var leftForClaim = false

    /// The destinations of `pages` whose recent sends (and other due pages) `decide` needs.
    public static func destinationsToWeigh(_ pages: [PageRequest], rules: ResponseRules) -> [(person: String, channel: String)] {
        var seen: Set<String> = []
        return pages.filter { !goesAsItIs($0, rules: rules) && seen.insert($0.destination).inserted }.map { ($0.person, $0.channel) }
    }

    /// Decides for `pages` at `now`: `recentSends` holds each weighed destination's sends within
    /// its window (a destination missing from it is left to the claim), `othersDue` the
    /// destinations with other pages due now and not leased.
    public static func decide(_ pages: [PageRequest], now: Date, rules: ResponseRules, recentSends: [String: [Date]],
                              othersDue: Set<String>) -> CommitClaim {
        var claim = CommitClaim()
        var taken: Set<String> = []
        var weighed: [String: [PageRequest]] = [:]
        var order: [String] = []
        for page in pages where page.sendAt <= now {
            if goesAsItIs(page, rules: rules) {
                taken.insert(page.idempotencyKey)
            } else {
                if weighed[page.destination] == nil { order.append(page.destination) }
                weighed[page.destination, default: []].append(page)
            }
        }
        for destination in order {
            let due = weighed[destination]!
            let limit = rules.rateLimit(person: due[0].person, channel: due[0].channel)
            guard let recent = recentSends[destination], !othersDue.contains(destination),
                  BundlingDecision.decide(due: due.count, recentSends: recent, limit: limit, now: now) == .sendEach
            else {
                claim.leftForClaim = true
                continue
            }
            taken.formUnion(due.map(\.idempotencyKey))
            claim.sends[destination] = due.count
        }
        claim.taken = pages.filter { taken.contains($0.idempotencyKey) }
        return claim
    }

    /// A first attempt, never claimed before.
    private static func goesAsItIs(_ page: PageRequest, rules: ResponseRules) -> Bool {
        BundlingDecision.goesAsItIs(attempts: 0, kind: page.kind, hasMessage: page.message != nil,
                                    limit: rules.rateLimit(person: page.person, channel: page.channel), claimedBefore: false)
    }
}
