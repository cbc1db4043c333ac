import Foundation
import Testing
import TocsinCore

/// The procedure's rules, pure: transitions, gates, permissions, the two-person rule.
@Suite struct ProcedureTests {
    static let roster = Roster(
        people: ["chen.wei", "priya.raman", "sam.okafor", "liu.yang", "li.na", "zhou.min", "maria.santos", "wang.fang", "zhang.lei", "vendor.dba"]
            .map { Person(id: $0, name: $0, contactMethods: [ContactMethod(webhookURL: "http://127.0.0.1:1/\($0)")]) },
        roles: [
            .faultAnalyst: RoleHolders(primary: "chen.wei", backup: "priya.raman"),
            .technicalCoordinator: RoleHolders(primary: "sam.okafor", backup: "liu.yang"),
            .leadership: RoleHolders(primary: "li.na", backup: "zhou.min"),
            .business: RoleHolders(primary: "maria.santos", backup: "wang.fang"),
            .technicalExecutors: RoleHolders(primary: "zhang.lei", backup: "vendor.dba"),
        ]
    )
    static let runbook = Runbook(id: "bank", title: "Bank down", matchers: ["scenario": "bank"], preAuthorized: false, steps: ["Confirm", "Switch", "Verify"], body: "")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func procedure(preAuthorized: Bool = false, tradeSwitch: Bool = true) -> Procedure {
        var runbook = Self.runbook
        runbook.preAuthorized = preAuthorized
        let rules = ProcedureRules(tradeSwitch: tradeSwitch ? TradeSwitch(stopURL: "http://127.0.0.1:1/stop", resumeURL: "http://127.0.0.1:1/resume") : nil)
        return Procedure(rules: rules, roster: Self.roster, runbook: runbook)
    }

    var fresh: ProcedureRecord {
        var record = ProcedureRecord()
        record.roles = IncidentRoles(from: Self.roster, at: Date())
        return record
    }

    func assessment(allBusiness: Bool) -> Assessment {
        Assessment(faultStartedAt: now.addingTimeInterval(-600), scope: "card payments", spread: "stable", affectedServices: ["card-acquiring"],
                   allBusinessAffected: allBusiness, initialCause: nil, recordedBy: "chen.wei")
    }

    /// Runs commands in order, returning the final stage and record; fails the test on a refusal.
    func run(_ steps: [(ProcedureCommand, String)], from stage: Stage = .reported, record: ProcedureRecord? = nil, procedure: Procedure? = nil) throws -> ProcedureOutcome {
        var outcome = ProcedureOutcome(stage: stage, record: record ?? fresh)
        for (command, actor) in steps {
            outcome = try (procedure ?? self.procedure()).apply(command, by: actor, stage: outcome.stage, record: outcome.record, now: now)
        }
        return outcome
    }

    @Test func everyStageHasExactlyItsSuccessors() {
        #expect(Procedure.next(after: .reported) == [.assessing])
        #expect(Procedure.next(after: .assessing) == [.tradingStopped, .recovering])
        #expect(Procedure.next(after: .tradingStopped) == [.recovering])
        #expect(Procedure.next(after: .recovering) == [.reconciling])
        #expect(Procedure.next(after: .reconciling) == [.closed])
        #expect(Procedure.next(after: .closed) == [])
    }

    @Test(arguments: Stage.allCases)
    func illegalTransitionsAreRefusedWithTheAllowedOnes(from stage: Stage) {
        for target in Stage.allCases where !Procedure.next(after: stage).contains(target) {
            #expect(throws: ProcedureError.self) {
                _ = try procedure().apply(.advance(to: target, closing: nil), by: "chen.wei", stage: stage, record: fresh, now: now)
            }
        }
        if stage == .reported {
            let error = try? #require(throws: ProcedureError.self) {
                _ = try procedure().apply(.advance(to: .recovering, closing: nil), by: "chen.wei", stage: .reported, record: fresh, now: now)
            }
            #expect(error == .illegalTransition(from: .reported, to: .recovering, allowed: [.assessing]))
        }
    }

    @Test func assessingStartsTheRootCauseClockAndNoticesTheStageChange() throws {
        let outcome = try run([(.advance(to: .assessing, closing: nil), "chen.wei")])
        #expect(outcome.stage == .assessing)
        #expect(outcome.record.assessingSince == now)
        #expect(outcome.effects.contains(.startAssessmentDeadline(due: now.addingTimeInterval(3600))))
        #expect(outcome.effects.contains(.noticeStageChange(from: .reported, to: .assessing, by: nil)))
        #expect(outcome.events.map(\.kind) == [.stageChanged])
    }

    @Test func leavingAssessingNeedsTheAssessmentAndPartialImpact() throws {
        let assessing = try run([(.advance(to: .assessing, closing: nil), "chen.wei")])
        #expect(throws: ProcedureError.missing("the assessment (start time, scope, spread, affected services)", stage: .assessing)) {
            _ = try run([(.advance(to: .recovering, closing: nil), "chen.wei")], from: .assessing, record: assessing.record)
        }
        let allAffected = try run([(.assess(assessment(allBusiness: true)), "chen.wei")], from: .assessing, record: assessing.record)
        #expect(throws: ProcedureError.self) {
            _ = try run([(.advance(to: .recovering, closing: nil), "chen.wei")], from: .assessing, record: allAffected.record)
        }
        let partial = try run([(.assess(assessment(allBusiness: false)), "chen.wei"), (.advance(to: .recovering, closing: nil), "chen.wei")],
                              from: .assessing, record: assessing.record)
        #expect(partial.stage == .recovering)
        #expect(throws: ProcedureError.self) {
            _ = try run([(.advance(to: .tradingStopped, closing: nil), "chen.wei")], from: .assessing, record: allAffected.record)
        }
    }

    @Test func onlyTheCommanderOrLeadershipAdvances() throws {
        for outsider in ["zhang.lei", "maria.santos", "nobody"] {
            #expect(throws: ProcedureError.self) { _ = try run([(.advance(to: .assessing, closing: nil), outsider)]) }
        }
        #expect(try run([(.advance(to: .assessing, closing: nil), "li.na")]).stage == .assessing)
    }

    @Test func stopTradingTakesTwoPeopleAndTheSwitchsAnswer() throws {
        let assessed = try run([(.advance(to: .assessing, closing: nil), "chen.wei"), (.assess(assessment(allBusiness: true)), "chen.wei")])
        #expect(throws: ProcedureError.self, "a non-commander cannot propose") {
            _ = try run([(.proposeStopTrading(what: "all", overrideReason: nil), "zhang.lei")], from: .assessing, record: assessed.record)
        }
        let proposed = try run([(.proposeStopTrading(what: "all trading", overrideReason: nil), "chen.wei")], from: .assessing, record: assessed.record)
        #expect(proposed.effects.contains { if case .pageLoudly = $0 { true } else { false } })
        #expect(throws: ProcedureError.notPermitted(actor: "chen.wei", action: "approve stopping trading", allowed: "a member of the leadership group")) {
            _ = try run([(.approveStopTrading, "chen.wei")], from: .assessing, record: proposed.record)
        }
        // A leadership member who proposed cannot approve their own proposal.
        var leaderProposal = assessed.record
        leaderProposal.roles.commander = "li.na"
        let byLeader = try run([(.proposeStopTrading(what: "all", overrideReason: nil), "li.na")], from: .assessing, record: leaderProposal)
        #expect(throws: ProcedureError.sameApprover("li.na")) { _ = try run([(.approveStopTrading, "li.na")], from: .assessing, record: byLeader.record) }
        #expect(try run([(.approveStopTrading, "zhou.min")], from: .assessing, record: byLeader.record).record.stopTrading?.approvedBy == "zhou.min")

        let approved = try run([(.approveStopTrading, "li.na")], from: .assessing, record: proposed.record)
        #expect(approved.stage == .assessing, "the stage changes only when the platform confirms")
        #expect(approved.effects == [.callTradeSwitch(stop: true)])
        let failed = try run([(.recordTradeSwitch(stop: true, succeeded: false, answer: "HTTP 503"), "tocsin")], from: .assessing, record: approved.record)
        #expect(failed.stage == .assessing)
        #expect(failed.events.map(\.kind) == [.tradeSwitchFailed])
        let stopped = try run([(.recordTradeSwitch(stop: true, succeeded: true, answer: "HTTP 200"), "tocsin")], from: .assessing, record: approved.record)
        #expect(stopped.stage == .tradingStopped)
        #expect(stopped.record.tradingStopped)
    }

    @Test func stopTradingWithoutAllBusinessNeedsAnOverrideReason() throws {
        let assessed = try run([(.advance(to: .assessing, closing: nil), "chen.wei"), (.assess(assessment(allBusiness: false)), "chen.wei")])
        #expect(throws: ProcedureError.self) {
            _ = try run([(.proposeStopTrading(what: "all", overrideReason: nil), "chen.wei")], from: .assessing, record: assessed.record)
        }
        let overridden = try run([(.proposeStopTrading(what: "card channel", overrideReason: "fraud wave on cards"), "chen.wei")], from: .assessing, record: assessed.record)
        #expect(overridden.record.stopTrading?.overrideReason == "fraud wave on cards")
        #expect(throws: ProcedureError.self, "no trade switch configured") {
            _ = try run([(.approveStopTrading, "li.na")], from: .assessing, record: overridden.record, procedure: procedure(tradeSwitch: false))
        }
    }

    func recovering(preAuthorized: Bool = false) throws -> ProcedureOutcome {
        try run([(.advance(to: .assessing, closing: nil), "chen.wei"), (.assess(assessment(allBusiness: false)), "chen.wei"),
                 (.advance(to: .recovering, closing: nil), "chen.wei")], procedure: procedure(preAuthorized: preAuthorized))
    }

    @Test func leavingRecoveryNeedsAnApprovedPlanAnOperationAndRestoredService() throws {
        var outcome = try recovering()
        let advance: (ProcedureCommand, String) = (.advance(to: .reconciling, closing: nil), "chen.wei")
        #expect(throws: ProcedureError.missing("the recovery plan", stage: .recovering)) { _ = try run([advance], from: .recovering, record: outcome.record) }
        outcome = try run([(.recordPlan(rootCause: "expired certificate", steps: "renew, restart"), "chen.wei")], from: .recovering, record: outcome.record)
        #expect(outcome.effects.contains(.stopAssessmentDeadline))
        #expect(throws: ProcedureError.self, "not approved") { _ = try run([advance], from: .recovering, record: outcome.record) }
        #expect(throws: ProcedureError.self, "executors cannot approve") { _ = try run([(.approvePlan, "zhang.lei")], from: .recovering, record: outcome.record) }
        outcome = try run([(.approvePlan, "zhou.min")], from: .recovering, record: outcome.record)
        #expect(throws: ProcedureError.missing("at least one operation and its result", stage: .recovering)) { _ = try run([advance], from: .recovering, record: outcome.record) }
        #expect(throws: ProcedureError.self, "the business lead is not an executor") {
            _ = try run([(.recordOperation(action: "x", result: "y"), "maria.santos")], from: .recovering, record: outcome.record)
        }
        outcome = try run([(.recordOperation(action: "renewed certificate", result: "handshake OK"), "zhang.lei")], from: .recovering, record: outcome.record)
        #expect(throws: ProcedureError.missing("that service is restored (service-restored)", stage: .recovering)) { _ = try run([advance], from: .recovering, record: outcome.record) }
        outcome = try run([(.markServiceRestored, "chen.wei"), advance], from: .recovering, record: outcome.record)
        #expect(outcome.stage == .reconciling)
    }

    @Test func preAuthorizedRunbookNeedsNoPlanApproval() throws {
        let pre = procedure(preAuthorized: true)
        let outcome = try run([(.recordPlan(rootCause: "mains power lost", steps: "switch to standby site"), "chen.wei"),
                               (.recordOperation(action: "switched", result: "ok"), "zhang.lei"), (.markServiceRestored, "chen.wei"),
                               (.advance(to: .reconciling, closing: nil), "chen.wei")],
                              from: .recovering, record: try recovering(preAuthorized: true).record, procedure: pre)
        #expect(outcome.stage == .reconciling)
        #expect(outcome.record.plan?.approvedBy == "runbook:bank")
    }

    @Test func tradingMustResumeBeforeReconciling() throws {
        var record = try recovering().record
        record.tradingStopped = true
        let ready = try run([(.recordPlan(rootCause: "c", steps: "s"), "chen.wei"), (.approvePlan, "li.na"),
                             (.recordOperation(action: "a", result: "r"), "zhang.lei"), (.markServiceRestored, "chen.wei")],
                            from: .recovering, record: record)
        #expect(throws: ProcedureError.missing("that trading has resumed (resume-trading)", stage: .recovering)) {
            _ = try run([(.advance(to: .reconciling, closing: nil), "chen.wei")], from: .recovering, record: ready.record)
        }
        let resume = try run([(.resumeTrading, "chen.wei")], from: .recovering, record: ready.record)
        #expect(resume.effects == [.callTradeSwitch(stop: false)])
        let resumed = try run([(.recordTradeSwitch(stop: false, succeeded: true, answer: "HTTP 200"), "tocsin"),
                               (.advance(to: .reconciling, closing: nil), "chen.wei")], from: .recovering, record: ready.record)
        #expect(resumed.stage == .reconciling)
    }

    @Test func closingNeedsReconciledBooksOrASignedExceptionAndASummary() throws {
        let closing = Closing(summary: "Certificate expired; renewed.", followUps: ["Alert 30 days before expiry"])
        var outcome = try run([(.reconcile(ReconciliationFigures(affectedTransactions: 1200, amount: "98000.00", currency: "CNY",
                                                                  channels: ["UnionPay"], banks: ["ICBC"], discrepanciesFound: 3, discrepanciesResolved: 1)), "zhang.lei")],
                              from: .reconciling)
        #expect(outcome.record.reconciliation.openDiscrepancies == 2)
        #expect(throws: ProcedureError.missing("zero open discrepancies (2 are open) or a signed-off exception", stage: .reconciling)) {
            _ = try run([(.advance(to: .closed, closing: closing), "chen.wei")], from: .reconciling, record: outcome.record)
        }
        #expect(throws: ProcedureError.self, "only leadership signs off") {
            _ = try run([(.signOffException(reason: "written off"), "chen.wei")], from: .reconciling, record: outcome.record)
        }
        #expect(throws: ProcedureError.self, "resolved cannot exceed found") {
            _ = try run([(.reconcile(ReconciliationFigures(discrepanciesResolved: 4)), "zhang.lei")], from: .reconciling, record: outcome.record)
        }
        #expect(throws: ProcedureError.self, "bad currency") {
            _ = try run([(.reconcile(ReconciliationFigures(currency: "yuan")), "zhang.lei")], from: .reconciling, record: outcome.record)
        }
        let reconciled = try run([(.reconcile(ReconciliationFigures(discrepanciesResolved: 3)), "zhang.lei")], from: .reconciling, record: outcome.record)
        #expect(throws: ProcedureError.self, "no summary") {
            _ = try run([(.advance(to: .closed, closing: nil), "chen.wei")], from: .reconciling, record: reconciled.record)
        }
        let closed = try run([(.advance(to: .closed, closing: closing), "chen.wei")], from: .reconciling, record: reconciled.record)
        #expect(closed.stage == .closed)
        #expect(closed.effects.contains(.stopAllClocks))
        outcome = try run([(.signOffException(reason: "two refunds pending with the bank"), "li.na"), (.advance(to: .closed, closing: closing), "chen.wei")],
                          from: .reconciling, record: outcome.record)
        #expect(outcome.stage == .closed)
        #expect(throws: ProcedureError.closed) { _ = try run([(.note("late"), "chen.wei")], from: .closed, record: outcome.record) }
    }

    @Test func handoverIsExplicitAndOnlyByTheCommanderOrLeadership() throws {
        #expect(throws: ProcedureError.self) { _ = try run([(.handover(.commander, to: "priya.raman"), "zhang.lei")]) }
        #expect(throws: ProcedureError.self) { _ = try run([(.handover(.commander, to: "nobody"), "chen.wei")]) }
        let handed = try run([(.handover(.commander, to: "priya.raman"), "chen.wei")])
        #expect(handed.record.roles.commander == "priya.raman")
        #expect(handed.events.first?.detail == ["role": "commander", "from": "chen.wei", "to": "priya.raman"])
        #expect(throws: ProcedureError.self, "the former commander no longer commands") {
            _ = try run([(.advance(to: .assessing, closing: nil), "chen.wei")], record: handed.record)
        }
        #expect(try run([(.advance(to: .assessing, closing: nil), "priya.raman")], record: handed.record).stage == .assessing)
    }

    @Test func updatesBelongToTheirOwnersAndRestartTheirCadence() throws {
        #expect(throws: ProcedureError.self) { _ = try run([(.postUpdate(.business, text: "x"), "sam.okafor")]) }
        let bulletin = try run([(.postUpdate(.bulletin, text: "Card payments failing at 30%; failover under way."), "sam.okafor")])
        #expect(bulletin.effects == [.restartCadence(.bulletin)])
        #expect(bulletin.events.first?.detail["kind"] == "bulletin")
        #expect(try run([(.postUpdate(.business, text: "Merchants informed"), "maria.santos")]).effects == [.restartCadence(.business)])
    }

    @Test func checklistStepsAreTickedOnce() throws {
        let ticked = try run([(.tickChecklist(step: 2), "zhang.lei")])
        #expect(ticked.record.checklist[2]?.by == "zhang.lei")
        #expect(ticked.events.first?.detail["text"] == "Switch")
        #expect(throws: ProcedureError.self) { _ = try run([(.tickChecklist(step: 2), "chen.wei")], record: ticked.record) }
        #expect(throws: ProcedureError.self) { _ = try run([(.tickChecklist(step: 4), "chen.wei")]) }
    }
}
