import Foundation
import Testing
import TocsinCore

/// Overrides, stand-ins and swaps made while Tocsin runs: who may make them, and who is paged once they are in force.
@Suite struct RosterChangeTests {
    static let at = RosterTests.at

    /// RosterTests' roster, with ana holding payments_oncall directly as well as her shifts of
    /// the commanders rotation, lee in the leadership group and eve holding nothing.
    static func roster() -> Roster {
        var roster = RosterTests.roster()
        let hook = [ContactMethod(webhookURL: "http://127.0.0.1:1/x")]
        for id in ["lee", "eve"] { roster.people[id] = Person(id: id, name: id, contactMethods: hook) }
        roster.people["mute"] = Person(id: "mute", name: "mute", contactMethods: [])
        roster.roles[Role("payments_oncall")] = RoleHolders(primary: "ana", backup: "cai")
        roster.roles[.leadership] = RoleHolders(primary: "lee", backup: "lee")
        return roster
    }

    @Test func aStandInCoversThePersonOnEveryPath() throws {
        let roster = Self.roster()
        let now = Self.at(1, 10)
        let change = try roster.admit(.standIn(person: "ana", standIn: "dan", start: nil, end: Self.at(1, 14), reason: "dentist"), by: "ana", now: now)
        let live = roster.applying([change])
        // ana holds fault_analyst through the rotation, payments_oncall directly, and is paged by name.
        #expect(live.people(for: .role(.faultAnalyst, .primary), at: now).map(\.id) == ["dan"])
        #expect(live.onCall(.faultAnalyst, .primary, at: now)?.via == ["rotation commanders", "stand-in for ana"])
        #expect(live.people(for: .rotation("commanders"), at: now).map(\.id) == ["dan"])
        #expect(live.people(for: .role(Role("payments_oncall"), .primary), at: now).map(\.id) == ["dan"])
        #expect(live.people(for: .person("ana"), at: now).map(\.id) == ["dan"])
        // It ends when it says, and before it was made nothing changed.
        #expect(live.people(for: .person("ana"), at: Self.at(1, 14)).map(\.id) == ["ana"])
        #expect(live.people(for: .person("ana"), at: Self.at(1, 9)).map(\.id) == ["ana"])
        #expect(roster.people(for: .person("ana"), at: now).map(\.id) == ["ana"], "the configured roster is left as it was")
    }

    @Test func aSwapChangesNothingUntilTheOtherPersonAccepts() throws {
        let roster = Self.roster()
        let now = Self.at(1, 8)
        // ana holds the shift from the 1st at 09:00, ben the one from the 2nd.
        let proposed = try roster.admit(.swap(rotation: "commanders", mine: Self.at(1, 12), with: "ben", theirs: Self.at(2, 12), reason: nil), by: "ana", now: now)
        #expect(proposed.status == .proposed)
        let waiting = roster.applying([proposed])
        #expect(waiting.person(holding: .faultAnalyst, as: .primary, at: Self.at(1, 12))?.id == "ana")
        #expect(waiting.person(holding: .faultAnalyst, as: .primary, at: Self.at(2, 12))?.id == "ben")

        for refuser in ["ana", "lee", "cai"] {
            #expect(throws: RosterChangeError.self, "\(refuser) cannot accept for ben") { try roster.accept(proposed, by: refuser, now: now) }
        }
        let accepted = try roster.accept(proposed, by: "ben", now: now)
        #expect(accepted.status == .inForce && accepted.acceptedBy == "ben")
        let swapped = roster.applying([accepted])
        #expect(swapped.person(holding: .faultAnalyst, as: .primary, at: Self.at(1, 12))?.id == "ben")
        #expect(swapped.person(holding: .faultAnalyst, as: .primary, at: Self.at(2, 12))?.id == "ana")
        #expect(swapped.person(holding: .faultAnalyst, as: .primary, at: Self.at(3, 12))?.id == "ana", "the shifts after are as scheduled")
        #expect(throws: RosterChangeError.conflict("Swap 0 is in force, not waiting for acceptance.")) { try roster.accept(accepted, by: "ben", now: now) }

        // Only one of the two may propose it, and only for their own shift.
        #expect(throws: RosterChangeError.self) {
            try roster.admit(.swap(rotation: "commanders", mine: Self.at(2, 12), with: "ben", theirs: Self.at(1, 12), reason: nil), by: "ana", now: now)
        }
        #expect(throws: RosterChangeError.self) {
            try roster.admit(.swap(rotation: "commanders", mine: Self.at(1, 12), with: "ben", theirs: Self.at(2, 12), reason: nil), by: "lee", now: now)
        }
    }

    @Test func whoMayChangeTheRoster() throws {
        let roster = Self.roster()
        let now = Self.at(1, 10)
        let override = RosterChangeRequest.override(target: .role(.faultAnalyst, .backup), person: "dan", start: nil, end: Self.at(1, 20), reason: nil)
        // The person put on it, the one replaced, the role's primary (ana, on shift now) and leadership may; others may not.
        for actor in ["dan", "cai", "ana", "lee"] {
            #expect(try roster.admit(override, by: actor, now: now).requestedBy == actor)
        }
        #expect(throws: RosterChangeError.self) { try roster.admit(override, by: "eve", now: now) }
        #expect(throws: RosterChangeError.self) { try roster.admit(override, by: "stranger", now: now) }

        let standIn = RosterChangeRequest.standIn(person: "cai", standIn: "dan", start: nil, end: Self.at(1, 20), reason: nil)
        for actor in ["cai", "ana", "lee"] { #expect(throws: Never.self) { try roster.admit(standIn, by: actor, now: now) } }
        #expect(throws: RosterChangeError.self, "the stand-in cannot take over on their own say") { try roster.admit(standIn, by: "dan", now: now) }

        let change = try roster.admit(standIn, by: "cai", now: now)
        #expect(throws: RosterChangeError.self) { try roster.cancel(change, by: "eve", now: now) }
        #expect(try roster.cancel(change, by: "dan", now: now).status == .cancelled, "a person it names may withdraw it")
        #expect(roster.applying([try roster.cancel(change, by: "lee", now: now)]).people(for: .person("cai"), at: now).map(\.id) == ["cai"])
    }

    @Test func nonsenseIsRefusedWithTheReason() {
        let roster = Self.roster()
        let now = Self.at(1, 10)
        func refusal(_ request: RosterChangeRequest, by actor: String = "lee") -> String? {
            do {
                _ = try roster.admit(request, by: actor, now: now)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(refusal(.override(target: .role(Role("fault_analist"), .primary), person: "dan", start: nil, end: Self.at(2, 0), reason: nil))?
            .contains("There is no role \"fault_analist\"") == true)
        #expect(refusal(.override(target: .rotation("nights"), person: "dan", start: nil, end: Self.at(2, 0), reason: nil))?.contains("no rotation \"nights\"") == true)
        #expect(refusal(.standIn(person: "cai", standIn: "nobody", start: nil, end: Self.at(2, 0), reason: nil))?.contains("no person \"nobody\"") == true)
        #expect(refusal(.standIn(person: "cai", standIn: "cai", start: nil, end: Self.at(2, 0), reason: nil))?.contains("themselves") == true)
        #expect(refusal(.standIn(person: "cai", standIn: "dan", start: nil, end: Self.at(1, 9), reason: nil))?.contains("must come after") == true)
        #expect(refusal(.standIn(person: "cai", standIn: "mute", start: nil, end: Self.at(2, 0), reason: nil))?.contains("no working contact method") == true)
        #expect(refusal(.override(target: .role(.faultAnalyst, .backup), person: "cai", start: nil, end: Self.at(2, 0), reason: nil))?.contains("already holds") == true)
    }

    @Test func anOverrideOfARoleFillsACoverageGapAndShowsHowItCame() throws {
        let roster = Self.roster()
        let now = RotationTests.local(RosterTests.shanghai, 2026, 11, 30, 12)
        // The commanders rotation starts on the 1st at 09:00: until then fault_analyst has no primary.
        #expect(roster.coverageGaps(from: now, to: Self.at(1, 12)).map(\.reason) == ["rotation commanders has not started"])
        let change = try roster.admit(.override(target: .role(.faultAnalyst, .primary), person: "dan", start: nil, end: Self.at(1, 9), reason: "until the rotation starts"),
                                      by: "lee", now: now)
        let live = roster.applying([change])
        #expect(live.coverageGaps(from: now, to: Self.at(1, 12)).isEmpty)
        #expect(live.onCall(.faultAnalyst, .primary, at: now)?.via == ["override of fault_analyst.primary"])
        #expect(live.person(holding: .faultAnalyst, as: .primary, at: Self.at(1, 9))?.id == "ana")
        let spells = OnCallSchedule(roster: live, from: now, to: Self.at(1, 12)).lines.first { $0.role == .faultAnalyst && $0.holder == .primary }!.spells
        #expect(spells.map { $0.onCall?.person.id } == ["dan", "ana"])
    }

    @Test func aChangeReadsBackAsItWasWritten() throws {
        let roster = Self.roster()
        let proposed = try roster.admit(.swap(rotation: "commanders", mine: Self.at(1, 12), with: "ben", theirs: Self.at(2, 12), reason: "wedding"), by: "ana", now: Self.at(1, 8))
        for change in [proposed, try roster.accept(proposed, by: "ben", now: Self.at(1, 8)),
                       try roster.admit(.override(target: .rotation("commanders"), person: "dan", start: nil, end: Self.at(2, 0), reason: nil), by: "lee", now: Self.at(1, 8))] {
            let data = try TocsinJSON.encoder.encode(change)
            #expect(try TocsinJSON.decoder.decode(RosterChange.self, from: data) == change)
        }
    }
}
