import Foundation
import Testing
import TocsinCore

/// What the console asks the procedure before offering a form: who may give an action in a
/// stage, and what a stage's gate still lacks, answered by the same rules `apply` enforces.
@Suite struct ProcedureAdmissionTests {
    let rules = ProcedureTests()

    @Test func anActionIsAdmittedExactlyWhenApplyGetsPastItsRolesAndStages() throws {
        let procedure = rules.procedure()
        let record = rules.fresh
        #expect(procedure.refusal(of: .advance, by: "chen.wei", stage: .reported, record: record) == nil)
        #expect(procedure.refusal(of: .advance, by: "li.na", stage: .reported, record: record) == nil)
        #expect(procedure.refusal(of: .advance, by: "zhang.lei", stage: .reported, record: record)
            == .notPermitted(actor: "zhang.lei", action: "advance the incident", allowed: "the incident commander (chen.wei) or a member of the leadership group"))
        #expect(procedure.refusal(of: .reconcile, by: "chen.wei", stage: .assessing, record: record)
            == .notInStage(action: "record reconciliation figures", stage: .assessing, expected: [.reconciling]))
        #expect(procedure.refusal(of: .note, by: "vendor.dba", stage: .recovering, record: record) == nil)
        #expect(procedure.refusal(of: .note, by: "someone.else", stage: .recovering, record: record) != nil)
        #expect(procedure.refusal(of: .postUpdate(.business), by: "maria.santos", stage: .assessing, record: record) == nil)
        #expect(procedure.refusal(of: .postUpdate(.business), by: "sam.okafor", stage: .assessing, record: record) != nil)
        #expect(procedure.refusal(of: .handover(.commander), by: "chen.wei", stage: .assessing, record: record) == nil)
        #expect(procedure.refusal(of: .handover(.commander), by: "sam.okafor", stage: .assessing, record: record) != nil)
        #expect(procedure.refusal(of: .note, by: "chen.wei", stage: .closed, record: record) == .closed)

        // The same refusal comes back from apply, before the command's content is looked at.
        #expect(throws: ProcedureError.notInStage(action: "record reconciliation figures", stage: .assessing, expected: [.reconciling])) {
            try procedure.apply(.reconcile(ReconciliationFigures(currency: "not a code")), by: "chen.wei", stage: .assessing, record: record, now: rules.now)
        }
    }

    @Test func theGateListsEverythingStillMissingInTheOrderAdvanceRefusesIt() throws {
        var record = rules.fresh
        let missing = Procedure.unmet(leaving: .recovering, for: .reconciling, record: record)
        #expect(missing == [
            .missing("the recovery plan", stage: .recovering),
            .missing("at least one operation and its result", stage: .recovering),
            .missing("that service is restored (service-restored)", stage: .recovering),
        ])
        #expect(throws: missing.first!) {
            try rules.procedure().apply(.advance(to: .reconciling, closing: nil), by: "chen.wei", stage: .recovering, record: record, now: rules.now)
        }
        record = try rules.run([
            (.recordPlan(rootCause: "acquirer link down", steps: "fail over"), "chen.wei"), (.approvePlan, "li.na"),
            (.recordOperation(action: "failed over", result: "ok"), "zhang.lei"), (.markServiceRestored, "chen.wei"),
        ], from: .recovering).record
        #expect(Procedure.unmet(leaving: .recovering, for: .reconciling, record: record).isEmpty)
        #expect(Procedure.unmet(leaving: .assessing, for: .recovering, record: rules.fresh)
            == [.missing("the assessment (start time, scope, spread, affected services)", stage: .assessing)])
        #expect(Procedure.unmet(leaving: .reconciling, for: .closed, record: rules.fresh)
            == [.missing("the closing summary and at least one follow-up action", stage: .reconciling)])
        #expect(Procedure.unmet(leaving: .reconciling, for: .closed, record: rules.fresh, closing: Closing(summary: "done", followUps: ["review"])).isEmpty)
    }
}
