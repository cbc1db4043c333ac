import Foundation
import TocsinCore

/// Reads `POST /api/v1/incidents/{id}/{action}` bodies into procedure commands.
enum ProcedureCommandDecoding {
    /// The fields each action takes; the keys are the actions the API offers.
    static let fields: [String: [String]] = [
        "advance": ["to", "summary", "follow_ups"],
        "assess": ["fault_started_at", "scope", "spread", "affected_services", "all_business_affected", "initial_cause"],
        "stop-trading": ["what", "override_reason"],
        "approve-stop-trading": [],
        "plan": ["root_cause", "steps"],
        "approve-plan": [],
        "op": ["action", "result"],
        "service-restored": [],
        "resume-trading": [],
        "update": ["kind", "text"],
        "note": ["text"],
        "reconcile": ReconciliationFigures.CodingKeys.allCases.map(\.rawValue),
        "sign-off": ["reason"],
        "handover": ["role", "to"],
        "checklist": ["step"],
    ]

    static func command(action: String, body data: Data, actor: String) throws -> ProcedureCommand {
        guard let allowed = fields[action] else {
            throw Problem(.notFound, "No such action", detail: "\"\(action)\" is not an incident action; the actions are: \(fields.keys.sorted().joined(separator: ", ")).")
        }
        let body = try CommandBody(data, allowed: allowed)
        switch action {
        case "advance":
            let target = try body.choice("to", of: Stage.self)
            let summary = try body.optionalString("summary")
            let followUps = try body.optionalStrings("follow_ups")
            let closing = (summary != nil || followUps != nil) ? Closing(summary: summary ?? "", followUps: followUps ?? []) : nil
            return .advance(to: target, closing: closing)
        case "assess":
            return .assess(Assessment(
                faultStartedAt: try body.time("fault_started_at"), scope: try body.string("scope"), spread: try body.string("spread"),
                affectedServices: try body.optionalStrings("affected_services") ?? [], allBusinessAffected: try body.bool("all_business_affected"),
                initialCause: try body.optionalString("initial_cause"), recordedBy: actor
            ))
        case "stop-trading":
            return .proposeStopTrading(what: try body.string("what"), overrideReason: try body.optionalString("override_reason"))
        case "approve-stop-trading":
            return .approveStopTrading
        case "plan":
            return .recordPlan(rootCause: try body.string("root_cause"), steps: try body.string("steps"))
        case "approve-plan":
            return .approvePlan
        case "op":
            return .recordOperation(action: try body.string("action"), result: try body.string("result"))
        case "service-restored":
            return .markServiceRestored
        case "resume-trading":
            return .resumeTrading
        case "update":
            return .postUpdate(try body.choice("kind", of: UpdateKind.self), text: try body.string("text"))
        case "note":
            return .note(try body.string("text"))
        case "reconcile":
            let figures = ReconciliationFigures(
                affectedTransactions: try body.optionalInt("affected_transactions"), amount: try body.optionalString("amount"),
                currency: try body.optionalString("currency"), channels: try body.optionalStrings("channels"), banks: try body.optionalStrings("banks"),
                discrepanciesFound: try body.optionalInt("discrepancies_found"), discrepanciesResolved: try body.optionalInt("discrepancies_resolved")
            )
            guard figures != ReconciliationFigures() else { throw Problem.badRequest("Give at least one figure: \(allowed.joined(separator: ", ")).") }
            return .reconcile(figures)
        case "sign-off":
            return .signOffException(reason: try body.string("reason"))
        case "handover":
            return .handover(try body.choice("role", of: IncidentRole.self), to: try body.string("to"))
        default:
            return .tickChecklist(step: try body.int("step"))
        }
    }
}
