import Foundation
import Testing
import TocsinCore

/// The roster resolved over a stretch of time: one spell per holder between the instants the
/// roster can change, the same people and gaps paging and `tocsin check` find.
@Suite struct OnCallScheduleTests {
    @Test func spellsFollowShiftsStandInsAndGaps() {
        let at = RosterTests.at
        let roster = RosterTests.roster(standIns: [StandIn(person: "ben", standIn: "dan", start: at(2, 12), end: at(2, 18))], benReachable: true)
        let schedule = OnCallSchedule(roster: roster, from: RotationTests.local(RosterTests.shanghai, 2026, 11, 30, 12), to: at(3, 12))
        let primary = schedule.lines.first { $0.role == .faultAnalyst && $0.holder == .primary }!
        #expect(primary.spells.map { $0.onCall?.person.id ?? "nobody" } == ["nobody", "ana", "ben", "dan", "ben", "ana"])
        #expect(primary.spells[0].gap == "rotation commanders has not started" && primary.spells[0].end == at(1, 9))
        #expect(primary.spells.map(\.start).dropFirst() == [at(1, 9), at(2, 9), at(2, 12), at(2, 18), at(3, 9)])
        #expect(primary.spells[3].onCall?.via == ["rotation commanders", "stand-in for ben"])
        #expect(primary.spells.last?.end == at(3, 12))
        #expect(primary.spells(from: at(2, 0), to: at(2, 23)).map { $0.onCall?.person.id } == ["ana", "ben", "dan", "ben"], "a day shows the night shift's end too")

        let backup = schedule.lines.first { $0.role == .faultAnalyst && $0.holder == .backup }!
        #expect(backup.spells.count == 1 && backup.spells[0].onCall?.person.id == "cai", "an unchanging holder is one spell")
        #expect(schedule.lines.map { "\($0.role) \($0.holder)" } == ["fault_analyst primary", "fault_analyst backup", "payments_oncall primary", "payments_oncall backup"])
    }
}
