/// A procedure command named without its content, so that who may give it, and in which
/// stages, can be asked before anyone has filled it in (the console offers only these).
public enum ProcedureAction: Sendable, Hashable {
    case advance
    case assess
    case proposeStopTrading
    case approveStopTrading
    case recordPlan
    case approvePlan
    case recordOperation
    case markServiceRestored
    case resumeTrading
    case postUpdate(UpdateKind)
    case note
    case reconcile
    case signOffException
    case handover(IncidentRole)
    case tickChecklist

    /// Every action a person can give, in the order the procedure meets them.
    public static let all: [ProcedureAction] = [.advance, .assess, .proposeStopTrading, .approveStopTrading, .recordPlan, .approvePlan,
                                                .recordOperation, .markServiceRestored, .resumeTrading]
        + UpdateKind.allCases.map(ProcedureAction.postUpdate)
        + [.note, .reconcile, .signOffException]
        + IncidentRole.allCases.map(ProcedureAction.handover)
        + [.tickChecklist]
}
