import Foundation

extension Procedure {
    /// Why `actor` may not give `action` on an incident in `stage` with `record`, or nil when
    /// they may: the action's roles and stages, before its content is looked at.
    public func refusal(of action: ProcedureAction, by actor: String, stage: Stage, record: ProcedureRecord) -> ProcedureError? {
        do {
            try admit(action, people: Permissions(actor: actor, record: record, roster: roster), stage: stage)
            return nil
        } catch {
            return error
        }
    }

    func admit(_ action: ProcedureAction, people: Permissions, stage: Stage) throws(ProcedureError) {
        guard stage != .closed else { throw .closed }
        switch action {
        case .advance:
            try people.require(action: "advance the incident", [.commander, .leadership])
        case .assess:
            try people.require(action: "record the assessment", [.commander])
            try require(stage, in: [.assessing, .tradingStopped, .recovering], for: "record the assessment")
        case .proposeStopTrading:
            try people.require(action: "propose stopping trading", [.commander])
            try require(stage, in: [.assessing], for: "propose stopping trading")
        case .approveStopTrading:
            try people.require(action: "approve stopping trading", [.leadership])
            try require(stage, in: [.assessing], for: "approve stopping trading")
        case .recordPlan:
            try people.require(action: "record the recovery plan", [.commander])
            try require(stage, in: [.assessing, .tradingStopped, .recovering], for: "record the recovery plan")
        case .approvePlan:
            try people.require(action: "approve the recovery plan", [.leadership])
        case .recordOperation:
            try people.require(action: "record an operation", [.executor, .commander])
            try require(stage, in: [.tradingStopped, .recovering], for: "record an operation")
        case .markServiceRestored:
            try people.require(action: "declare service restored", [.commander])
            try require(stage, in: [.recovering], for: "declare service restored")
        case .resumeTrading:
            try people.require(action: "resume trading", [.commander, .leadership])
            try require(stage, in: [.recovering], for: "resume trading")
        case .postUpdate(let kind):
            let owners: [Permissions.Holder] = switch kind {
            case .bulletin: [.coordinator, .commander]
            case .business: [.businessLead]
            case .regulatory: [.coordinator, .leadership]
            }
            try people.require(action: "post the \(kind.rawValue) update", owners)
        case .note:
            try people.require(action: "add a note", [.commander, .coordinator, .businessLead, .executor, .leadership, .anyone])
        case .reconcile:
            try people.require(action: "record reconciliation figures", [.commander, .executor, .businessLead])
            try require(stage, in: [.reconciling], for: "record reconciliation figures")
        case .signOffException:
            try people.require(action: "sign off a reconciliation exception", [.leadership])
            try require(stage, in: [.reconciling], for: "sign off a reconciliation exception")
        case .handover(let role):
            if role == .commander {
                let current = people.record.roles.commander
                guard people.actor == current || people.isLeadership else {
                    throw .notPermitted(actor: people.actor, action: "hand over command", allowed: "the current commander (\(current ?? "none")) or leadership")
                }
            } else {
                try people.require(action: "assign the \(role.rawValue) role", [.commander, .leadership])
            }
        case .tickChecklist:
            try people.require(action: "tick the checklist", [.commander, .executor])
        }
    }

    private func require(_ stage: Stage, in stages: [Stage], for action: String) throws(ProcedureError) {
        guard stages.contains(stage) else { throw .notInStage(action: action, stage: stage, expected: stages) }
    }
}
