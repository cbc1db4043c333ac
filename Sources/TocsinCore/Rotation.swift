import Foundation

/// A schedule that hands a role from member to member in shifts.
///
/// Daily and weekly shifts follow the wall clock of the rotation's time zone: a shift
/// handed off at 09:00 local is handed off at 09:00 local on both sides of a daylight-saving
/// change, so that day's shift is an hour shorter or longer, and none is doubled or lost.
/// Hourly shifts follow elapsed time, so each lasts exactly its length.
public struct Rotation: Sendable, Hashable {
    public var id: String
    public var shiftLength: ShiftLength
    /// Local time of day at which one shift hands over to the next.
    public var handoff: TimeOfDay
    /// For weekly shifts: the day of the handoff, 1 = Sunday … 7 = Saturday (Calendar's numbering).
    public var handoffWeekday: Int?
    /// IANA zone the handoff time is read in.
    public var timeZone: TimeZone
    /// The day (in `timeZone`) the first shift starts, at the handoff time.
    public var startDay: DateComponents
    public var members: [String]
    public var overrides: [Override]

    public init(id: String, shiftLength: ShiftLength, handoff: TimeOfDay, handoffWeekday: Int? = nil, timeZone: TimeZone,
                startDay: DateComponents, members: [String], overrides: [Override] = []) {
        self.id = id
        self.shiftLength = shiftLength
        self.handoff = handoff
        self.handoffWeekday = handoffWeekday
        self.timeZone = timeZone
        self.startDay = DateComponents(year: startDay.year, month: startDay.month, day: startDay.day)
        self.members = members
        self.overrides = overrides
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The first shift's day, moved back to the handoff weekday for weekly shifts.
    private var anchorDay: DateComponents {
        guard case .weeks = shiftLength, let weekday = handoffWeekday,
              let noon = calendar.date(from: DateComponents(year: startDay.year, month: startDay.month, day: startDay.day, hour: 12)) else {
            return startDay
        }
        let back = (calendar.component(.weekday, from: noon) - weekday + 7) % 7
        let day = calendar.date(byAdding: .day, value: -back, to: noon) ?? noon
        return calendar.dateComponents([.year, .month, .day], from: day)
    }

    /// When shift `index` starts (shift 0 is the first; negative ones are before the rotation).
    public func boundary(_ index: Int) -> Date {
        boundary(index, calendar: calendar, anchor: anchorDay)
    }

    /// `boundary(_:)` with the calendar and first day worked out by the caller: a lookup needs
    /// several boundaries, and each of those costs a handful of calendar computations.
    private func boundary(_ index: Int, calendar: Calendar, anchor: DateComponents) -> Date {
        let start = calendar.date(from: DateComponents(year: anchor.year, month: anchor.month, day: anchor.day,
                                                       hour: handoff.hour, minute: handoff.minute)) ?? Date.distantPast
        switch shiftLength {
        case .hours(let hours):
            return start.addingTimeInterval(TimeInterval(index * hours * 3600))
        case .days, .weeks:
            // Step whole local days from the anchor's noon (never ambiguous), then read the
            // handoff time on that day, so every handoff is at the same local time.
            let noon = calendar.date(from: DateComponents(year: anchor.year, month: anchor.month, day: anchor.day, hour: 12)) ?? start
            let day = calendar.date(byAdding: .day, value: index * shiftLength.days, to: noon) ?? noon
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            return calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day,
                                                      hour: handoff.hour, minute: handoff.minute)) ?? day
        }
    }

    /// The scheduled shift covering `instant`, before overrides; nil before the rotation starts
    /// or when it has no members.
    public func shift(at instant: Date) -> Shift? {
        let calendar = calendar, anchor = anchorDay
        func boundary(_ index: Int) -> Date { self.boundary(index, calendar: calendar, anchor: anchor) }
        let first = boundary(0)
        guard !members.isEmpty, instant >= first else { return nil }
        // Guess by the nominal length, then correct for shifts a clock change made shorter or longer.
        var index = max(0, Int((instant.timeIntervalSince(first) / shiftLength.nominalSeconds).rounded(.down)))
        var start = boundary(index)
        while index > 0, start > instant {
            index -= 1
            start = boundary(index)
        }
        var end = boundary(index + 1)
        while end <= instant {
            index += 1
            start = end
            end = boundary(index + 1)
        }
        return Shift(index: index, start: start, end: end, member: members[index % members.count])
    }

    /// Who holds the rotation at `instant`: the override in force, else the shift's member.
    public func holder(at instant: Date) -> String? {
        holder(at: instant, scheduled: shift(at: instant)?.member)
    }

    /// The holder when `scheduled` is the member whose shift covers `instant`.
    func holder(at instant: Date, scheduled: String?) -> String? {
        if let override = overrides.last(where: { $0.covers(instant) && ($0.replacing == nil || $0.replacing == scheduled) }) {
            return override.person
        }
        return scheduled
    }

    /// Shifts that start within `start..<end`, in order, plus the one already running at `start`.
    public func shifts(from start: Date, to end: Date) -> [Shift] {
        guard var shift = shift(at: start) ?? (boundary(0) < end ? shift(at: boundary(0)) : nil) else { return [] }
        var shifts: [Shift] = []
        while shift.start < end, shifts.count < 100_000 {
            shifts.append(shift)
            let next = shift.index + 1
            shift = Shift(index: next, start: shift.end, end: boundary(next + 1), member: members[next % members.count])
        }
        return shifts
    }
}

/// How long one shift of a rotation lasts.
public enum ShiftLength: Sendable, Hashable {
    case hours(Int)
    case days(Int)
    case weeks(Int)

    var days: Int {
        switch self {
        case .hours: 0
        case .days(let count): count
        case .weeks(let count): count * 7
        }
    }

    /// Length in seconds ignoring daylight-saving changes; only used to guess a shift's index.
    var nominalSeconds: TimeInterval {
        switch self {
        case .hours(let count): TimeInterval(count * 3600)
        case .days, .weeks: TimeInterval(days * 86400)
        }
    }
}

/// A local time of day such as 09:00.
public struct TimeOfDay: Sendable, Hashable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int = 0) {
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM`.
    public init?(text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else {
            return nil
        }
        self.init(hour: hour, minute: minute)
    }

    public var description: String { String(format: "%02d:%02d", hour, minute) }
}

/// One member's turn in a rotation.
public struct Shift: Sendable, Hashable {
    public var index: Int
    public var start: Date
    public var end: Date
    public var member: String

    public init(index: Int, start: Date, end: Date, member: String) {
        self.index = index
        self.start = start
        self.end = end
        self.member = member
    }
}

/// A change to a rotation for a while: `person` holds it instead of the scheduled member
/// (or only instead of `replacing`, when given), such as a swap agreed in advance.
public struct Override: Sendable, Hashable {
    public var person: String
    public var start: Date
    public var end: Date
    public var replacing: String?

    public init(person: String, start: Date, end: Date, replacing: String? = nil) {
        self.person = person
        self.start = start
        self.end = end
        self.replacing = replacing
    }

    public func covers(_ instant: Date) -> Bool { start <= instant && instant < end }
}

extension ShiftLength: CustomStringConvertible {
    public var description: String {
        switch self {
        case .hours(let count): count == 1 ? "hourly" : "\(count) hours"
        case .days(let count): count == 1 ? "daily" : "\(count) days"
        case .weeks(let count): count == 1 ? "weekly" : "\(count) weeks"
        }
    }
}
