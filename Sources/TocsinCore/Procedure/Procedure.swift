import Foundation

/// The payment platform's emergency procedure as rules: which stage may follow which, what
/// must be on record to leave a stage, and who may do what.
///
/// Pure: given the incident as it stands and a command, it returns the new state, the
/// events to record and the effects to carry out, or refuses with the reason. Nothing is
/// half-applied because nothing is applied here at all.
public struct Procedure: Sendable {
    public var rules: ProcedureRules
    public var roster: Roster
    /// The incident's runbook, for the checklist and pre-authorization.
    public var runbook: Runbook?

    public init(rules: ProcedureRules, roster: Roster, runbook: Runbook?) {
        self.rules = rules
        self.roster = roster
        self.runbook = runbook
    }

    /// Stages an incident may move to from `stage` with `advance`.
    public static func next(after stage: Stage) -> [Stage] {
        switch stage {
        case .reported: [.assessing]
        case .assessing: [.tradingStopped, .recovering]
        case .tradingStopped: [.recovering]
        case .recovering: [.reconciling]
        case .reconciling: [.closed]
        case .closed: []
        }
    }

    /// `apply` to `incident` as it stands, refusing a person a drill's script keeps silent.
    public func apply(_ command: ProcedureCommand, by actor: String, to incident: Incident, record: ProcedureRecord, now: Date) throws(ProcedureError) -> ProcedureOutcome {
        guard !incident.keepsSilent(actor) else { throw .silentInDrill(actor) }
        return try apply(command, by: actor, stage: incident.stage, record: record, now: now)
    }

    public func apply(_ command: ProcedureCommand, by actor: String, stage: Stage, record: ProcedureRecord, now: Date) throws(ProcedureError) -> ProcedureOutcome {
        guard stage != .closed else { throw .closed }
        var outcome = ProcedureOutcome(stage: stage, record: record)
        let people = Permissions(actor: actor, record: record, roster: roster)
        switch command {
        case .advance(let target, let closing):
            try advance(to: target, closing: closing, people: people, outcome: &outcome, now: now)

        case .assess(var assessment):
            try admit(.assess, people: people, stage: stage)
            guard !assessment.scope.isBlank, !assessment.spread.isBlank, !assessment.affectedServices.isEmpty else {
                throw .invalid("An assessment needs scope, spread and at least one affected service.")
            }
            guard assessment.faultStartedAt <= now else { throw .invalid("fault_started_at is in the future.") }
            assessment.recordedBy = actor
            outcome.record.assessment = assessment
            outcome.events.append(ProcedureEvent(.assessmentRecorded, [
                "fault_started_at": UTCTime.string(assessment.faultStartedAt), "scope": assessment.scope, "spread": assessment.spread,
                "affected_services": assessment.affectedServices.joined(separator: ", "),
                "all_business_affected": "\(assessment.allBusinessAffected)", "initial_cause": assessment.initialCause ?? "",
            ]))

        case .proposeStopTrading(let what, let overrideReason):
            try admit(.proposeStopTrading, people: people, stage: stage)
            guard !what.isBlank else { throw .invalid("Say what is to be stopped (`what`), e.g. \"all trading\".") }
            let allAffected = record.assessment?.allBusinessAffected == true
            guard allAffected || !(overrideReason ?? "").isBlank else {
                throw .invalid("Trading is stopped only when all business is affected. Record an assessment with all_business_affected, or give an override_reason.")
            }
            outcome.record.stopTrading = StopTrading(proposedBy: actor, proposedAt: now, what: what, overrideReason: overrideReason)
            var detail = ["what": what, "all_business_affected": "\(allAffected)"]
            detail["override_reason"] = overrideReason
            outcome.events.append(ProcedureEvent(.stopTradingProposed, detail))
            outcome.effects.append(.pageLoudly([.role(.leadership, .primary), .role(.leadership, .backup)],
                                               message: "\(actor) proposes to stop trading (\(what)); a leadership member other than the proposer must approve."))

        case .approveStopTrading:
            try admit(.approveStopTrading, people: people, stage: stage)
            guard var proposal = record.stopTrading else { throw .invalid("Nobody has proposed stopping trading; the commander proposes it first.") }
            guard proposal.proposedBy != actor else { throw .sameApprover(actor) }
            guard rules.tradeSwitch != nil else { throw .invalid("No trade switch is configured (procedure.trade_switch in tocsin.yaml), so Tocsin cannot stop trading.") }
            proposal.approvedBy = actor
            proposal.approvedAt = now
            outcome.record.stopTrading = proposal
            outcome.events.append(ProcedureEvent(.stopTradingApproved, ["proposed_by": proposal.proposedBy, "what": proposal.what]))
            outcome.effects.append(.callTradeSwitch(stop: true))

        case .recordTradeSwitch(let stop, let succeeded, let answer):
            let action = stop ? "stop" : "resume"
            if succeeded {
                outcome.events.append(ProcedureEvent(.tradeSwitchSucceeded, ["action": action, "answer": answer]))
                if stop {
                    outcome.record.tradingStopped = true
                    try moveStage(to: .tradingStopped, outcome: &outcome, now: now, by: record.stopTrading?.approvedBy)
                } else {
                    outcome.record.tradingResumedAt = now
                }
            } else {
                outcome.events.append(ProcedureEvent(.tradeSwitchFailed, ["action": action, "answer": answer]))
                outcome.effects.append(.pageLoudly(
                    [.role(.faultAnalyst, .primary), .role(.leadership, .primary), .role(.leadership, .backup)],
                    message: "The \(action)-trade call FAILED (\(answer)). The incident stays in \(stage.rawValue); trading was not \(stop ? "stopped" : "resumed")."
                ))
            }

        case .recordPlan(let rootCause, let steps):
            try admit(.recordPlan, people: people, stage: stage)
            guard !rootCause.isBlank, !steps.isBlank else { throw .invalid("A recovery plan needs root_cause and steps.") }
            let preAuthorized = runbook?.preAuthorized == true
            let firstPlan = record.plan == nil
            outcome.record.plan = RecoveryPlan(rootCause: rootCause, steps: steps, recordedBy: actor, recordedAt: now,
                                               approvedBy: preAuthorized ? "runbook:\(runbook!.id)" : nil)
            outcome.events.append(ProcedureEvent(.planRecorded, ["root_cause": rootCause, "steps": steps, "pre_authorized": "\(preAuthorized)"]))
            if firstPlan, record.assessingSince != nil {
                outcome.effects.append(.stopAssessmentDeadline)
                outcome.events.append(ProcedureEvent(.deadlineMet, ["deadline": "root_cause_and_plan"]))
            }

        case .approvePlan:
            try admit(.approvePlan, people: people, stage: stage)
            guard var plan = record.plan else { throw .invalid("There is no recovery plan to approve; the commander records it first.") }
            guard plan.approvedBy == nil else { throw .invalid("The plan is already approved (\(plan.approvedBy!)).") }
            plan.approvedBy = actor
            outcome.record.plan = plan
            outcome.events.append(ProcedureEvent(.planApproved, ["recorded_by": plan.recordedBy]))

        case .recordOperation(let action, let result):
            try admit(.recordOperation, people: people, stage: stage)
            guard !action.isBlank, !result.isBlank else { throw .invalid("An operation needs what was done (action) and its result.") }
            outcome.record.operations.append(Operation(by: actor, at: now, action: action, result: result))
            outcome.events.append(ProcedureEvent(.operationRecorded, ["action": action, "result": result]))

        case .markServiceRestored:
            try admit(.markServiceRestored, people: people, stage: stage)
            outcome.record.serviceRestoredAt = now
            outcome.events.append(ProcedureEvent(.serviceRestored))

        case .resumeTrading:
            try admit(.resumeTrading, people: people, stage: stage)
            guard record.tradingStopped, record.tradingResumedAt == nil else { throw .invalid("Trading is not stopped, so there is nothing to resume.") }
            outcome.events.append(ProcedureEvent(.resumeTradingRequested))
            outcome.effects.append(.callTradeSwitch(stop: false))

        case .postUpdate(let kind, let text):
            try admit(.postUpdate(kind), people: people, stage: stage)
            guard !text.isBlank else { throw .invalid("An update needs its text.") }
            outcome.events.append(ProcedureEvent(.updatePosted, ["kind": kind.rawValue, "text": text]))
            outcome.effects.append(.restartCadence(kind))

        case .note(let text):
            try admit(.note, people: people, stage: stage)
            guard !text.isBlank else { throw .invalid("A note needs its text.") }
            outcome.events.append(ProcedureEvent(.noteAdded, ["text": text]))

        case .reconcile(let figures):
            try admit(.reconcile, people: people, stage: stage)
            outcome.record.reconciliation = try reconciled(record.reconciliation, with: figures)
            let r = outcome.record.reconciliation
            outcome.events.append(ProcedureEvent(.reconciliationRecorded, [
                "affected_transactions": "\(r.affectedTransactions)", "amount": r.amount ?? "", "currency": r.currency ?? "",
                "channels": r.channels.joined(separator: ", "), "banks": r.banks.joined(separator: ", "),
                "discrepancies_found": "\(r.discrepanciesFound)", "discrepancies_resolved": "\(r.discrepanciesResolved)",
                "discrepancies_open": "\(r.openDiscrepancies)",
            ]))

        case .signOffException(let reason):
            try admit(.signOffException, people: people, stage: stage)
            guard !reason.isBlank else { throw .invalid("A signed-off exception needs its reason.") }
            outcome.record.reconciliation.exception = SignedException(by: actor, at: now, reason: reason)
            outcome.events.append(ProcedureEvent(.exceptionSignedOff, ["reason": reason, "discrepancies_open": "\(record.reconciliation.openDiscrepancies)"]))

        case .handover(let role, let person):
            guard roster.people[person] != nil else { throw .invalid("There is no person \"\(person)\" in Contacts/.") }
            let current = record.roles.holder(of: role)
            try admit(.handover(role), people: people, stage: stage)
            outcome.record.roles.assign(role, to: person)
            var detail = ["role": role.rawValue, "to": person]
            detail["from"] = current
            outcome.events.append(ProcedureEvent(.roleHandedOver, detail))

        case .tickChecklist(let step):
            try admit(.tickChecklist, people: people, stage: stage)
            guard let steps = runbook?.steps, steps.indices.contains(step - 1) else {
                throw .invalid("The checklist has steps 1 to \(runbook?.steps.count ?? 0); there is no step \(step).")
            }
            guard record.checklist[step] == nil else { throw .invalid("Step \(step) is already ticked.") }
            outcome.record.checklist[step] = ChecklistTick(by: actor, at: now)
            outcome.events.append(ProcedureEvent(.checklistTicked, ["step": "\(step)", "text": steps[step - 1]]))
        }
        return outcome
    }

    private func advance(to target: Stage, closing: Closing?, people: Permissions, outcome: inout ProcedureOutcome, now: Date) throws(ProcedureError) {
        let stage = outcome.stage
        let record = outcome.record
        try admit(.advance, people: people, stage: stage)
        guard Self.next(after: stage).contains(target) else {
            throw .illegalTransition(from: stage, to: target, allowed: Self.next(after: stage))
        }
        if let unmet = Self.unmet(leaving: stage, for: target, record: record, closing: closing).first { throw unmet }
        if target == .closed {
            outcome.record.closing = closing
            outcome.effects.append(.stopAllClocks)
        }
        try moveStage(to: target, outcome: &outcome, now: now)
    }

    /// `mover` is who the move is recorded as made by, when not the command's actor.
    private func moveStage(to target: Stage, outcome: inout ProcedureOutcome, now: Date, by mover: String? = nil) throws(ProcedureError) {
        let from = outcome.stage
        outcome.stage = target
        var detail = ["from": from.rawValue, "to": target.rawValue]
        if let closing = outcome.record.closing, target == .closed {
            detail["summary"] = closing.summary
            detail["follow_ups"] = closing.followUps.joined(separator: "; ")
        }
        outcome.events.append(ProcedureEvent(.stageChanged, detail, by: mover))
        outcome.effects.append(.noticeStageChange(from: from, to: target, by: mover))
        if target == .assessing {
            outcome.record.assessingSince = now
            outcome.effects.append(.startAssessmentDeadline(due: now.addingTimeInterval(rules.assessmentDeadline.seconds)))
        }
    }

    private func reconciled(_ current: Reconciliation, with figures: ReconciliationFigures) throws(ProcedureError) -> Reconciliation {
        var next = current
        if let value = figures.affectedTransactions { next.affectedTransactions = value }
        if let value = figures.amount {
            guard Decimal(string: value) != nil, !value.hasPrefix("-") else { throw .invalid("amount \"\(value)\" is not a non-negative decimal number such as 125000.50.") }
            next.amount = value
        }
        if let value = figures.currency {
            guard value.count == 3, value.allSatisfy(\.isUppercase) else { throw .invalid("currency \"\(value)\" is not an ISO 4217 code such as CNY or EUR.") }
            next.currency = value
        }
        if let value = figures.channels { next.channels = value }
        if let value = figures.banks { next.banks = value }
        if let value = figures.discrepanciesFound { next.discrepanciesFound = value }
        if let value = figures.discrepanciesResolved { next.discrepanciesResolved = value }
        guard next.affectedTransactions >= 0, next.discrepanciesFound >= 0, next.discrepanciesResolved >= 0 else {
            throw .invalid("Counts cannot be negative.")
        }
        guard next.discrepanciesResolved <= next.discrepanciesFound else {
            throw .invalid("discrepancies_resolved (\(next.discrepanciesResolved)) cannot exceed discrepancies_found (\(next.discrepanciesFound)).")
        }
        return next
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
