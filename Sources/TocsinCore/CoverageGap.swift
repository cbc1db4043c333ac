import Foundation

/// A stretch of time in which a role's holder resolves to nobody who can be paged.
///
/// `tocsin check` lists these so a hole in the schedule is found before an incident does.
public struct CoverageGap: Sendable, Hashable {
    public var role: Role
    public var holder: Holder
    public var start: Date
    public var end: Date
    public var reason: String

    public init(role: Role, holder: Holder, start: Date, end: Date, reason: String) {
        self.role = role
        self.holder = holder
        self.start = start
        self.end = end
        self.reason = reason
    }
}

extension Roster {
    /// Every gap in the coverage of every role from `start` to `end`.
    ///
    /// The roster only changes at shift handoffs and at the edges of overrides and stand-ins,
    /// so checking each of those instants finds every gap exactly.
    public func coverageGaps(from start: Date, to end: Date) -> [CoverageGap] {
        let ordered = changes(from: start, to: end)

        var gaps: [CoverageGap] = []
        for role in roles.keys.sorted() {
            for holder in [Holder.primary, .backup] {
                var open: CoverageGap?
                for (index, instant) in ordered.enumerated() {
                    let next = index + 1 < ordered.count ? ordered[index + 1] : end
                    let reason = coverageProblem(role, holder, at: instant)
                    if let reason, open?.reason == reason {
                        open?.end = next
                    } else {
                        if let gap = open { gaps.append(gap) }
                        open = reason.map { CoverageGap(role: role, holder: holder, start: instant, end: next, reason: $0) }
                    }
                }
                if let gap = open { gaps.append(gap) }
            }
        }
        return gaps
    }

    /// The instants from `start` (included) to `end` at which any holder may change: shift
    /// handoffs and the edges of overrides (of rotations and of roles) and stand-ins, in order.
    public func changes(from start: Date, to end: Date) -> [Date] {
        var instants: Set<Date> = [start]
        for rotation in rotations.values {
            for shift in rotation.shifts(from: start, to: end) { instants.insert(max(start, shift.start)) }
            if rotation.boundary(0) > start, rotation.boundary(0) < end { instants.insert(rotation.boundary(0)) }
            for override in rotation.overrides { instants.formUnion([override.start, override.end]) }
        }
        for standIn in standIns { instants.formUnion([standIn.start, standIn.end]) }
        for override in roleOverrides { instants.formUnion([override.start, override.end]) }
        return instants.filter { $0 >= start && $0 < end }.sorted()
    }

    /// Why nobody can be paged as `holder` of `role` at `instant`, or nil when someone can.
    func coverageProblem(_ role: Role, _ holder: Holder, at instant: Date) -> String? {
        guard let reference = reference(role, holder, at: instant) else { return "no holders" }
        guard let onCall = onCall(role, holder, at: instant) else {
            if case .rotation(let id) = reference {
                return rotations[id].map { $0.members.isEmpty ? "rotation \(id) has no members" : "rotation \(id) has not started" } ?? "no rotation \(id)"
            }
            return "\(reference) is not a known person"
        }
        return onCall.person.isReachable ? nil : "\(onCall.person.id) has no working contact method"
    }
}
