extension Procedure {
    /// What the record still lacks for an incident in `stage` to move to `target`, in the
    /// order the procedure asks for it; empty when the gate is open. `closing` is what the
    /// advance to `closed` carries with it.
    public static func unmet(leaving stage: Stage, for target: Stage, record: ProcedureRecord, closing: Closing? = nil) -> [ProcedureError] {
        switch (stage, target) {
        case (.assessing, .tradingStopped):
            return [.invalid("Trading is stopped by a proposal (stop-trading) and a second person's approval (approve-stop-trading), not by advancing.")]
        case (.assessing, .recovering):
            guard let assessment = record.assessment else { return [.missing("the assessment (start time, scope, spread, affected services)", stage: stage)] }
            guard !assessment.allBusinessAffected else {
                return [.invalid("All business is affected: stop trading first (stop-trading, then a leadership member approves), or correct the assessment.")]
            }
            return []
        case (.recovering, .reconciling):
            var unmet: [ProcedureError] = []
            if let plan = record.plan {
                if plan.approvedBy == nil { unmet.append(.missing("leadership's approval of the recovery plan (the runbook is not pre-authorized)", stage: stage)) }
            } else {
                unmet.append(.missing("the recovery plan", stage: stage))
            }
            if record.operations.isEmpty { unmet.append(.missing("at least one operation and its result", stage: stage)) }
            if record.serviceRestoredAt == nil { unmet.append(.missing("that service is restored (service-restored)", stage: stage)) }
            if record.tradingStopped && record.tradingResumedAt == nil { unmet.append(.missing("that trading has resumed (resume-trading)", stage: stage)) }
            return unmet
        case (.reconciling, .closed):
            var unmet: [ProcedureError] = []
            if record.reconciliation.openDiscrepancies > 0 && record.reconciliation.exception == nil {
                unmet.append(.missing("zero open discrepancies (\(record.reconciliation.openDiscrepancies) are open) or a signed-off exception", stage: stage))
            }
            if closing.map({ $0.summary.isBlank || $0.followUps.isEmpty || $0.followUps.contains(where: \.isBlank) }) ?? true {
                unmet.append(.missing("the closing summary and at least one follow-up action", stage: stage))
            }
            return unmet
        default:
            return []
        }
    }
}
