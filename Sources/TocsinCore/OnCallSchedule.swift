import Foundation

/// Who holds each role, primary and backup, over a stretch of time: the roster resolved at
/// every instant it can change, so a calendar shows rotations, overrides, stand-ins and the
/// gaps where nobody can be paged exactly as paging would find them.
public struct OnCallSchedule: Sendable, Hashable {
    /// One holder's unbroken spell: a person (and how the roster named them), or a gap.
    public struct Spell: Sendable, Hashable {
        public var start: Date
        public var end: Date
        public var onCall: OnCall?
        /// Why nobody can be paged in this spell, when that is so.
        public var gap: String?
    }

    /// The spells of one role's primary or backup, in order.
    public struct Line: Sendable, Hashable {
        public var role: Role
        public var holder: Holder
        public var spells: [Spell]

        /// The spells that overlap `start..<end`.
        public func spells(from start: Date, to end: Date) -> [Spell] {
            spells.filter { $0.start < end && $0.end > start }
        }
    }

    public var start: Date
    public var end: Date
    public var lines: [Line]

    public init(roster: Roster, from start: Date, to end: Date) {
        self.start = start
        self.end = end
        let instants = roster.changes(from: start, to: end)
        lines = roster.roles.keys.sorted().flatMap { role in
            [Holder.primary, .backup].map { holder in
                var spells: [Spell] = []
                for (index, instant) in instants.enumerated() {
                    let next = index + 1 < instants.count ? instants[index + 1] : end
                    let onCall = roster.onCall(role, holder, at: instant)
                    let gap = roster.coverageProblem(role, holder, at: instant)
                    if var last = spells.last, last.onCall == onCall, last.gap == gap {
                        last.end = next
                        spells[spells.count - 1] = last
                    } else {
                        spells.append(Spell(start: instant, end: next, onCall: onCall, gap: gap))
                    }
                }
                return Line(role: role, holder: holder, spells: spells)
            }
        }
    }
}
