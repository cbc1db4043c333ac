import Foundation
import Testing
import TocsinCore

/// Shift handovers: who writes and who acknowledges, what an unacknowledged one pages, and
/// what the incoming person hears at the start of a shift.
@Suite struct HandoverTests {
    static let at = RosterTests.at
    static let rules = HandoverRules(acknowledgeWithin: .seconds(15 * 60))

    /// The commanders rotation hands fault_analyst from ana to ben at 09:00 on the 2nd; cai is its backup.
    static let roster = RosterTests.roster()
    static let change = at(2, 9)
    static let writing = change.addingTimeInterval(-600)

    static func incident(_ id: Int64, _ stage: Stage, title: String = "Card payments failing") -> Incident {
        Incident(id: id, title: title, service: "payments-core", severity: .sev1, stage: stage, runbookID: nil, openedAt: at(1, 12),
                 acknowledgedAt: nil, acknowledgedBy: nil, policy: EscalationPolicy(steps: []))
    }

    static let incidents = [incident(1, .assessing), incident(2, .closed), incident(3, .recovering, title: "Settlement file late")]

    static func written() throws -> Handover {
        var handover = try roster.handover(HandoverRequest(role: .faultAnalyst, inProgress: ["bank B's file re-sent"], done: ["failover drill"],
                                                           toDo: ["call bank B at 10:00"], notes: [3: "waiting for the bank"]),
                                           by: "ana", now: writing, incidents: incidents, written: [], rules: rules)
        handover.id = 7
        return handover
    }

    static func pages(_ changes: [RecordChange]) -> [PageRequest] {
        changes.compactMap { if case .page(let page, _) = $0 { page } else { nil } }
    }

    static func events(_ changes: [RecordChange]) -> [SystemEvent] {
        changes.compactMap { if case .systemEvent(let event) = $0 { event } else { nil } }
    }

    static func json(_ page: PageRequest) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: page.body)) as? [String: Any] ?? [:]
    }

    @Test func theOutgoingHolderWritesItWithTheOpenIncidentsAndTheirStage() throws {
        let handover = try Self.written()
        #expect(handover.outgoing == "ana" && handover.incoming == "ben" && handover.shiftChange == Self.change)
        #expect(handover.incidents.map(\.id) == [1, 3], "the closed incident is not handed over")
        #expect(handover.incidents.map(\.stage) == [.assessing, .recovering])
        #expect(handover.incidents.last?.note == "waiting for the bank")
        #expect(handover.toDo == ["call bank B at 10:00"])
        #expect(handover.acknowledgementDue == Self.change.addingTimeInterval(900))
        #expect(handover.auditEvent(at: Self.writing).kind == "handover_written")
        #expect(handover.auditEvent(at: Self.writing).detail["incidents"] == "#1 [SEV1] assessing, #3 [SEV1] recovering")

        // Written late, after the change, the incoming person still has the whole window.
        let late = try Self.roster.handover(HandoverRequest(role: .faultAnalyst), by: "ana", now: Self.change.addingTimeInterval(300),
                                            incidents: [], written: [], rules: Self.rules)
        #expect(late.shiftChange == Self.change && late.acknowledgementDue == Self.change.addingTimeInterval(1200))
    }

    @Test func onlyTheOutgoingHolderWritesItOnceAndBadInputIsRefused() throws {
        let roster = Self.roster
        func refusal(_ request: HandoverRequest, by actor: String, written: [Handover] = []) -> HandoverError? {
            do {
                _ = try roster.handover(request, by: actor, now: Self.writing, incidents: Self.incidents, written: written, rules: Self.rules)
                return nil
            } catch {
                return error
            }
        }
        let plain = HandoverRequest(role: .faultAnalyst)
        for actor in ["ben", "cai", "dan"] {
            guard case .forbidden(let text) = refusal(plain, by: actor) else { Issue.record("\(actor) may not write it"); continue }
            #expect(text.contains("from ana to ben"))
        }
        // With two days' write-ahead ben's own shift end (the 3rd, 09:00) is in reach, but he does not hold the role yet.
        #expect(throws: HandoverError.self) {
            try roster.handover(plain, by: "ben", now: Self.writing, incidents: [], written: [], rules: HandoverRules(writeAhead: .seconds(2 * 86_400)))
        }
        guard case .conflict = refusal(plain, by: "ana", written: [try Self.written()]) else { Issue.record("one handover a shift change"); return }
        guard case .invalid = refusal(HandoverRequest(role: Role("payments_oncall")), by: "dan") else { Issue.record("dan's role never changes hands"); return }
        guard case .invalid = refusal(HandoverRequest(role: Role("nonsense")), by: "ana") else { Issue.record("an unknown role"); return }
        guard case .invalid = refusal(HandoverRequest(role: .faultAnalyst, notes: [2: "closed already"]), by: "ana") else { Issue.record("a note on a closed incident"); return }
        guard case .invalid = refusal(HandoverRequest(role: .faultAnalyst, done: ["  "]), by: "ana") else { Issue.record("an empty item"); return }
        guard case .invalid = refusal(HandoverRequest(role: .faultAnalyst, toDo: Array(repeating: "x", count: 51)), by: "ana") else { Issue.record("too many"); return }
        // More than the write-ahead before the change, there is nothing to hand over yet.
        #expect(throws: HandoverError.self) {
            try roster.handover(plain, by: "ana", now: Self.at(1, 10), incidents: [], written: [], rules: HandoverRules(writeAhead: .seconds(3600)))
        }
    }

    @Test func onlyTheIncomingPersonAcknowledgesItOnce() throws {
        let handover = try Self.written()
        for actor in ["ana", "cai"] {
            #expect(throws: HandoverError.self) { try Self.roster.acknowledge(handover, by: actor, now: Self.writing) }
        }
        let acknowledged = try Self.roster.acknowledge(handover, by: "ben", now: Self.writing.addingTimeInterval(60))
        #expect(acknowledged.acknowledgedAt == Self.writing.addingTimeInterval(60))
        #expect(acknowledged.auditEvent(at: Self.writing).kind == "handover_acknowledged")
        #expect(throws: HandoverError.conflict("Handover 7 is acknowledged already.")) {
            try Self.roster.acknowledge(acknowledged, by: "ben", now: Self.writing.addingTimeInterval(120))
        }
        #expect(acknowledged.acknowledgementMissed(step: 0, dueAt: handover.acknowledgementDue, roster: Self.roster, rules: Self.rules).isEmpty)
    }

    @Test func aMissedAcknowledgementPagesTheIncomingPersonThenTheBackup() throws {
        let handover = try Self.written()
        guard case .timer(let clock) = handover.acknowledgementClock else { Issue.record("a timer row"); return }
        #expect(clock.kind == .handoverMissed && clock.dueAt == Self.change.addingTimeInterval(900) && clock.subject == "7" && clock.step == 0)

        let first = handover.acknowledgementMissed(step: 0, dueAt: clock.dueAt, roster: Self.roster, rules: Self.rules)
        #expect(Self.pages(first).map(\.person) == ["ben"])
        #expect(Self.pages(first).map(\.idempotencyKey) == ["handover-7/missed-0/ben/webhook"])
        #expect(Self.pages(first).allSatisfy { $0.incidentID == PageRequest.noIncident })
        #expect(Self.json(Self.pages(first)[0])["kind"] as? String == "handover")
        #expect(Self.events(first).map(\.kind) == ["handover_unacknowledged"])
        let next = first.compactMap { if case .timer(let timer) = $0 { timer } else { nil } }
        #expect(next.map(\.dueAt) == [clock.dueAt.addingTimeInterval(900)] && next.map(\.step) == [1])

        let second = handover.acknowledgementMissed(step: 1, dueAt: next[0].dueAt, roster: Self.roster, rules: Self.rules)
        #expect(Self.pages(second).map(\.person) == ["cai"], "the role's backup")
        #expect(Self.events(second).first?.detail["paged"] == "cai")
        #expect(!second.contains { if case .timer = $0 { true } else { false } }, "the backup is the last one paged")
    }

    @Test func theShiftStartTellsTheIncomingPersonWhatTheyInherit() throws {
        let handover = try Self.written()
        let changes = ShiftStart.fire(role: .faultAnalyst, dueAt: Self.change, roster: Self.roster, incidents: Self.incidents, handovers: [handover])
        let pages = Self.pages(changes)
        #expect(pages.map(\.person) == ["ben"])
        #expect(pages.map(\.kind) == [.notice])
        let body = Self.json(pages[0])
        #expect(body["kind"] as? String == "on_call" && body["handover_id"] as? Int == 7)
        let inherited = body["incidents"] as? [[String: Any]] ?? []
        #expect(inherited.map { $0["id"] as? Int } == [1, 3])
        #expect(inherited.map { $0["stage"] as? String } == ["assessing", "recovering"])
        let text = body["message"] as? String ?? ""
        #expect(text.contains("You inherit 2 open incident(s): #1 [SEV1] Card payments failing (assessing); #3 [SEV1] Settlement file late (recovering)."), "\(text)")
        #expect(text.contains("Handover 7 from ana waits for your acknowledgement"))
        #expect(Self.events(changes).first?.detail["previous"] == "ana")

        // Nothing changes hands at another instant, and a role held by one person has no shift starts.
        #expect(ShiftStart.fire(role: .faultAnalyst, dueAt: Self.change.addingTimeInterval(60), roster: Self.roster, incidents: Self.incidents, handovers: []).isEmpty)
        let planned = ShiftStart.plan(Self.roster, after: Self.writing, rules: Self.rules)
        #expect(planned.map(\.subject) == ["fault_analyst"] && planned.map(\.dueAt) == [Self.change])
        #expect(ShiftStart.plan(Self.roster, after: Self.change, rules: Self.rules).map(\.dueAt) == [Self.at(3, 9)], "the next one after the change itself")
    }
}
