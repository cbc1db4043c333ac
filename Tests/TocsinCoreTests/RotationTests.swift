import Foundation
import Testing
import TocsinCore

/// Rotations: who holds a shift at any instant, and daylight-saving changes behaving as a
/// person expects (handoff at the same local time, no shift doubled or lost).
@Suite struct RotationTests {
    static func zone(_ id: String) -> TimeZone { TimeZone(identifier: id)! }

    static func local(_ zone: TimeZone, _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func localParts(_ date: Date, _ zone: TimeZone) -> (weekday: Int, hour: Int, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        return (parts.weekday!, parts.hour!, parts.minute!)
    }

    static func daily(_ zoneID: String, start: DateComponents, handoff: TimeOfDay = TimeOfDay(hour: 9), members: [String] = ["ana", "ben", "cai"]) -> Rotation {
        Rotation(id: "r", shiftLength: .days(1), handoff: handoff, timeZone: zone(zoneID), startDay: start, members: members)
    }

    /// The four transitions of 2026 in two zones on either side of the Atlantic.
    struct Transition: Sendable, CustomTestStringConvertible {
        var zone: String
        var year: Int, month: Int, day: Int
        /// Length of the day holding the change, in hours.
        var hours: Double
        var testDescription: String { "\(zone) \(year)-\(month)-\(day) (\(hours) h day)" }
    }

    static let transitions = [
        Transition(zone: "America/New_York", year: 2026, month: 3, day: 8, hours: 23),
        Transition(zone: "America/New_York", year: 2026, month: 11, day: 1, hours: 25),
        Transition(zone: "Europe/London", year: 2026, month: 3, day: 29, hours: 23),
        Transition(zone: "Europe/London", year: 2026, month: 10, day: 25, hours: 25),
        Transition(zone: "Australia/Sydney", year: 2026, month: 4, day: 5, hours: 25),
        Transition(zone: "Australia/Sydney", year: 2026, month: 10, day: 4, hours: 23),
    ]

    @Test(arguments: transitions)
    func dailyHandoffStaysAtNineLocalAcrossTheChange(_ transition: Transition) {
        let zone = Self.zone(transition.zone)
        let rotation = Self.daily(transition.zone, start: DateComponents(year: transition.year, month: transition.month, day: transition.day - 6))
        // Seven days before the change to five after: every handoff at 09:00 local, members in turn.
        var previous: Shift?
        for offset in -5...5 {
            let day = transition.day + offset
            let nine = Self.local(zone, transition.year, transition.month, day, 9)
            let shift = try! #require(rotation.shift(at: nine))
            #expect(shift.start == nine, "day \(day): the shift starts at 09:00 local")
            #expect(Self.localParts(shift.end, zone).hour == 9 && Self.localParts(shift.end, zone).minute == 0)
            #expect(rotation.holder(at: nine.addingTimeInterval(-60)) == previous?.member ?? rotation.shift(at: nine.addingTimeInterval(-60))?.member)
            if let previous {
                #expect(shift.index == previous.index + 1, "no shift doubled or lost")
                #expect(previous.end == shift.start, "no gap or overlap between shifts")
                #expect(shift.member != previous.member)
            }
            #expect(shift.member == ["ana", "ben", "cai"][shift.index % 3])
            previous = shift
        }
        // The shift that holds the change is an hour shorter or longer; its neighbours are 24 h.
        let changeDayShift = try! #require(rotation.shift(at: Self.local(zone, transition.year, transition.month, transition.day - 1, 12)))
        #expect(changeDayShift.end.timeIntervalSince(changeDayShift.start) == transition.hours * 3600)
        let after = try! #require(rotation.shift(at: Self.local(zone, transition.year, transition.month, transition.day + 1, 12)))
        #expect(after.end.timeIntervalSince(after.start) == 24 * 3600)
    }

    @Test(arguments: transitions)
    func handoffInsideTheChangedHourIsNeitherDoubledNorLost(_ transition: Transition) {
        // 02:30 does not exist on a spring-forward day and happens twice on a fall-back one.
        let zone = Self.zone(transition.zone)
        let rotation = Self.daily(transition.zone, start: DateComponents(year: transition.year, month: transition.month - 1, day: 1), handoff: TimeOfDay(hour: 2, minute: 30))
        let from = Self.local(zone, transition.year, transition.month, transition.day, 12).addingTimeInterval(-2 * 86400)
        let shifts = rotation.shifts(from: from, to: from.addingTimeInterval(5 * 86400))
        #expect(shifts.count == 5 || shifts.count == 6)
        for (earlier, later) in zip(shifts, shifts.dropFirst()) {
            #expect(later.index == earlier.index + 1)
            #expect(earlier.end == later.start)
            let length = later.start.timeIntervalSince(earlier.start)
            #expect(length >= 23 * 3600 && length <= 25 * 3600, "a day's shift is 23 to 25 hours, got \(length / 3600) h")
        }
        // Every instant of those days is covered by exactly one shift.
        var instant = from
        while instant < from.addingTimeInterval(4 * 86400) {
            let covering = shifts.filter { $0.start <= instant && instant < $0.end }
            #expect(covering.count == 1)
            #expect(rotation.shift(at: instant) == covering.first)
            instant = instant.addingTimeInterval(15 * 60)
        }
    }

    @Test func weeklyShiftsHandOffOnMondayAtNineLocalAcrossBothChanges() {
        let london = Self.zone("Europe/London")
        let rotation = Rotation(id: "dbas", shiftLength: .weeks(1), handoff: TimeOfDay(hour: 9), handoffWeekday: 2, timeZone: london,
                                startDay: DateComponents(year: 2026, month: 3, day: 4), members: ["ana", "ben"])
        // The start day (a Wednesday) is moved back to that week's Monday, 2 March.
        #expect(rotation.boundary(0) == Self.local(london, 2026, 3, 2, 9))
        let shifts = rotation.shifts(from: Self.local(london, 2026, 3, 10, 0), to: Self.local(london, 2026, 11, 10, 0))
        for shift in shifts {
            let parts = Self.localParts(shift.start, london)
            #expect(parts.weekday == 2 && parts.hour == 9 && parts.minute == 0)
        }
        for (earlier, later) in zip(shifts, shifts.dropFirst()) {
            #expect(later.index == earlier.index + 1 && earlier.end == later.start && earlier.member != later.member)
        }
        let acrossSpring = try! #require(rotation.shift(at: Self.local(london, 2026, 3, 29, 12)))
        #expect(acrossSpring.end.timeIntervalSince(acrossSpring.start) == (7 * 24 - 1) * 3600)
        let acrossAutumn = try! #require(rotation.shift(at: Self.local(london, 2026, 10, 25, 12)))
        #expect(acrossAutumn.end.timeIntervalSince(acrossAutumn.start) == (7 * 24 + 1) * 3600)
    }

    @Test func hourlyShiftsFollowElapsedTimeSoEachIsExactlyItsLength() {
        let newYork = Self.zone("America/New_York")
        let rotation = Rotation(id: "h", shiftLength: .hours(4), handoff: TimeOfDay(hour: 0), timeZone: newYork,
                                startDay: DateComponents(year: 2026, month: 3, day: 7), members: ["ana", "ben", "cai"])
        let shifts = rotation.shifts(from: Self.local(newYork, 2026, 3, 7, 12), to: Self.local(newYork, 2026, 3, 9, 12))
        #expect(shifts.count == 12)
        for (earlier, later) in zip(shifts, shifts.dropFirst()) {
            #expect(later.start.timeIntervalSince(earlier.start) == 4 * 3600)
            #expect(later.member == ["ana", "ben", "cai"][later.index % 3])
        }
    }

    @Test func beforeItStartsTheRotationHasNobody() {
        let rotation = Self.daily("Asia/Shanghai", start: DateComponents(year: 2026, month: 12, day: 1))
        let shanghai = Self.zone("Asia/Shanghai")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 1, 8, 59)) == nil)
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 1, 9)) == "ana")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 3, 9)) == "cai")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 4, 9)) == "ana")
    }

    @Test func overridesReplaceTheScheduledMemberForTheirWindowOnly() {
        let shanghai = Self.zone("Asia/Shanghai")
        var rotation = Self.daily("Asia/Shanghai", start: DateComponents(year: 2026, month: 12, day: 1))
        rotation.overrides = [
            Override(person: "dan", start: Self.local(shanghai, 2026, 12, 2, 12), end: Self.local(shanghai, 2026, 12, 2, 18)),
            // Only while ben would hold it: it does not touch cai's shift on the 3rd.
            Override(person: "eve", start: Self.local(shanghai, 2026, 12, 2, 20), end: Self.local(shanghai, 2026, 12, 3, 20), replacing: "ben"),
        ]
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 2, 11)) == "ben")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 2, 12)) == "dan")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 2, 18)) == "ben")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 2, 21)) == "eve")
        #expect(rotation.holder(at: Self.local(shanghai, 2026, 12, 3, 10)) == "cai")
    }
}

@Suite struct RosterTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static func at(_ day: Int, _ hour: Int) -> Date { RotationTests.local(shanghai, 2026, 12, day, hour) }

    static func roster(standIns: [StandIn] = [], benReachable: Bool = true) -> Roster {
        let hook = [ContactMethod(webhookURL: "http://127.0.0.1:1/x")]
        let people = ["ana", "ben", "cai", "dan"].map { Person(id: $0, name: $0, contactMethods: $0 == "ben" && !benReachable ? [] : hook) }
        let rotation = Rotation(id: "commanders", shiftLength: .days(1), handoff: TimeOfDay(hour: 9), timeZone: shanghai,
                                startDay: DateComponents(year: 2026, month: 12, day: 1), members: ["ana", "ben"])
        return Roster(people: people, roles: [
            .faultAnalyst: RoleHolders(primary: .rotation("commanders"), backup: .person("cai")),
            Role("payments_oncall"): RoleHolders(primary: "dan", backup: "cai"),
        ], rotations: [rotation], standIns: standIns)
    }

    @Test func roleHeldByARotationResolvesToTheShiftsMember() {
        let roster = Self.roster()
        #expect(roster.person(holding: .faultAnalyst, as: .primary, at: Self.at(1, 10))?.id == "ana")
        #expect(roster.person(holding: .faultAnalyst, as: .primary, at: Self.at(2, 10))?.id == "ben")
        #expect(roster.onCall(.faultAnalyst, .primary, at: Self.at(2, 10))?.via == ["rotation commanders"])
        #expect(roster.person(holding: .faultAnalyst, as: .backup, at: Self.at(2, 10))?.id == "cai")
        #expect(roster.people(for: .rotation("commanders"), at: Self.at(3, 10)).map(\.id) == ["ana"])
        #expect(roster.people(for: .role(Role("payments_oncall"), .primary), at: Self.at(3, 10)).map(\.id) == ["dan"], "custom roles resolve too")
        #expect(roster.person(holding: Role("nobody"), as: .primary, at: Self.at(3, 10)) == nil)
    }

    @Test func aStandInCoversWhereverThePersonWouldBePagedAndChainsEnd() {
        let roster = Self.roster(standIns: [
            StandIn(person: "ben", standIn: "dan", start: Self.at(2, 12), end: Self.at(2, 18), reason: "dentist"),
            StandIn(person: "dan", standIn: "cai", start: Self.at(2, 16), end: Self.at(2, 17)),
            // A loop must not hang resolution.
            StandIn(person: "cai", standIn: "ben", start: Self.at(2, 16), end: Self.at(2, 17)),
        ])
        #expect(roster.person(holding: .faultAnalyst, as: .primary, at: Self.at(2, 11))?.id == "ben")
        let covered = roster.onCall(.faultAnalyst, .primary, at: Self.at(2, 13))
        #expect(covered?.person.id == "dan")
        #expect(covered?.via == ["rotation commanders", "stand-in for ben"])
        #expect(roster.people(for: .person("ben"), at: Self.at(2, 13)).map(\.id) == ["dan"], "by name too")
        #expect(roster.person(holding: .faultAnalyst, as: .primary, at: Self.at(2, 16))?.id == "cai", "stand-ins chain")
        #expect(roster.person(holding: .faultAnalyst, as: .primary, at: Self.at(2, 18))?.id == "ben", "back after the end")
    }

    @Test func coverageGapsNameTheRoleTheWindowAndWhy() {
        let roster = Self.roster(benReachable: false)
        let gaps = roster.coverageGaps(from: RotationTests.local(Self.shanghai, 2026, 11, 30, 12), to: Self.at(4, 9))
        // Before the rotation starts on 1 December at 09:00, and on ben's shift (he has no contact method).
        #expect(gaps.map(\.reason) == ["rotation commanders has not started", "ben has no working contact method"])
        #expect(gaps.allSatisfy { $0.role == .faultAnalyst && $0.holder == .primary })
        #expect(gaps[0].end == Self.at(1, 9))
        #expect(gaps[1].start == Self.at(2, 9) && gaps[1].end == Self.at(3, 9))
        #expect(Self.roster().coverageGaps(from: Self.at(1, 9), to: Self.at(20, 9)).isEmpty)
    }
}
