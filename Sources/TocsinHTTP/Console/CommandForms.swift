import Foundation
import TocsinCore

/// The forms for what this person may do now on this incident: only the actions the
/// procedure admits for them in this stage. A refused command's reason is shown beside the
/// form it came from.
struct CommandForms {
    var incident: Incident
    var record: ProcedureRecord
    var procedure: Procedure
    var session: ConsoleSession
    var people: [String]
    /// The command just refused, if any.
    var refusal: Refusal?

    /// A refused command: the form it came from (its `key`), the procedure's reason, and what
    /// the person had typed, put back so nothing they wrote is lost.
    struct Refusal {
        var key: String
        var reason: String
        var fields: FormFields
    }

    /// Which form a posted command came from: its action, and the stage, update or step it names
    /// (handing over has one form for every role).
    static func key(action: String, fields: FormFields) -> String {
        action == "handover" ? action : [action, fields["to"] ?? fields["kind"] ?? fields["step"] ?? ""].filter { !$0.isEmpty }.joined(separator: ":")
    }

    var html: HTML {
        var forms: [Form] = []
        if incident.acknowledgedAt == nil, incident.stage != .closed {
            forms.append(form("ack", title: "Acknowledge", button: "Acknowledge",
                              path: "/incidents/\(incident.id)/ack", intro: "Stops the escalation: nobody else is paged for this incident."))
        }
        for action in ProcedureAction.all where procedure.refusal(of: action, by: session.person, stage: incident.stage, record: record) == nil {
            forms += self.forms(for: action)
        }
        var body: HTML = forms.isEmpty ? "<p class=\"quiet\">Nothing here is yours to do at this stage.</p>" : HTML(joining: forms.map(\.html))
        // A command from a form this page no longer offers (or never did) is refused at the top.
        if let refusal, !forms.contains(where: { $0.key == refusal.key }) {
            body = "<p class=\"refusal\" role=\"alert\">Refused: \(refusal.reason)</p>" + body
        }
        return "<section class=\"actions\" aria-labelledby=\"actions-heading\"><h2 id=\"actions-heading\">What you can do now</h2>\(body)</section>"
    }

    /// A form and the key a command posted from it is known by.
    struct Form {
        var key: String
        var html: HTML
    }

    private func forms(for action: ProcedureAction) -> [Form] {
        switch action {
        case .advance:
            return Procedure.next(after: incident.stage).filter { $0 != .tradingStopped }.map { target in
                let closing: HTML = target == .closed
                    ? field("summary", "Summary", kind: .area, value: kept("advance:closed", "summary", ""))
                        + field("follow_ups", "Follow-up actions, one a line", kind: .area, value: kept("advance:closed", "follow_ups", ""))
                    : .empty
                return form("advance", target.rawValue, title: "Move to \(target.rawValue)", button: "Move to \(target.rawValue)",
                            fields: hidden("to", target.rawValue) + closing)
            }
        case .assess:
            let assessment = record.assessment
            return [form("assess", title: "Record the assessment", button: "Record assessment", fields:
                field("fault_started_at", "Fault started at (UTC, e.g. 2026-11-21T10:00:00Z)", value: kept("assess", "fault_started_at", UTCTime.string(assessment?.faultStartedAt ?? incident.openedAt)))
                + field("scope", "Impact scope", value: kept("assess", "scope", assessment?.scope ?? ""))
                + field("spread", "How the impact is spreading", value: kept("assess", "spread", assessment?.spread ?? ""))
                + field("affected_services", "Affected services, comma separated", value: kept("assess", "affected_services", assessment?.affectedServices.joined(separator: ", ") ?? incident.service))
                + field("all_business_affected", "All business is affected", kind: .check(refusal?.key == "assess" ? refusal?.fields["all_business_affected"] == "true" : assessment?.allBusinessAffected ?? false))
                + field("initial_cause", "First view of the cause", value: kept("assess", "initial_cause", assessment?.initialCause ?? "")))]
        case .proposeStopTrading:
            return [form("stop-trading", title: "Propose stopping trading", button: "Propose stop",
                         intro: "A leadership member other than you must approve before Tocsin calls the platform.",
                         fields: field("what", "What is to be stopped", value: kept("stop-trading", "what", "all trading"))
                            + field("override_reason", "Why, if not all business is affected", value: kept("stop-trading", "override_reason", "")))]
        case .approveStopTrading:
            let intro = record.stopTrading.map { "\($0.proposedBy) proposes to stop \($0.what)." } ?? "Nobody has proposed stopping trading yet."
            return [form("approve-stop-trading", title: "Approve stopping trading", button: "Approve stop", intro: intro)]
        case .recordPlan:
            return [form("plan", title: "Record the recovery plan", button: "Record plan",
                         fields: field("root_cause", "Root cause", value: kept("plan", "root_cause", record.plan?.rootCause ?? ""))
                            + field("steps", "Recovery steps", kind: .area, value: kept("plan", "steps", record.plan?.steps ?? "")))]
        case .approvePlan:
            let intro = record.plan.map { plan in
                plan.approvedBy.map { "Approved by \($0)." } ?? "Plan by \(plan.recordedBy): \(plan.rootCause)."
            } ?? "No recovery plan is recorded yet."
            return [form("approve-plan", title: "Approve the recovery plan", button: "Approve plan", intro: intro)]
        case .recordOperation:
            return [form("op", title: "Record an operation", button: "Record operation",
                         fields: field("action", "What was done", value: kept("op", "action", "")) + field("result", "Its result", value: kept("op", "result", "")))]
        case .markServiceRestored:
            return [form("service-restored", title: "Declare service restored", button: "Service restored")]
        case .resumeTrading:
            return record.tradingStopped && record.tradingResumedAt == nil
                ? [form("resume-trading", title: "Resume trading", button: "Resume trading", intro: "Tocsin calls the platform's resume-trade endpoint.")]
                : []
        case .postUpdate(let kind):
            return [form("update", kind.rawValue, title: "Post the \(kind.rawValue) update", button: "Post \(kind.rawValue) update",
                         fields: hidden("kind", kind.rawValue) + field("text", "Text", kind: .area, value: kept("update:\(kind.rawValue)", "text", "")))]
        case .note:
            return [form("note", title: "Add a note", button: "Add note", fields: field("text", "Note", kind: .area, value: kept("note", "text", "")))]
        case .reconcile:
            let r = record.reconciliation
            return [form("reconcile", title: "Reconciliation figures", button: "Record figures", fields:
                field("affected_transactions", "Affected transactions", value: kept("reconcile", "affected_transactions", "\(r.affectedTransactions)"))
                + field("amount", "Amount", value: kept("reconcile", "amount", r.amount ?? "")) + field("currency", "Currency (ISO 4217)", value: kept("reconcile", "currency", r.currency ?? ""))
                + field("channels", "Channels, comma separated", value: kept("reconcile", "channels", r.channels.joined(separator: ", ")))
                + field("banks", "Banks, comma separated", value: kept("reconcile", "banks", r.banks.joined(separator: ", ")))
                + field("discrepancies_found", "Discrepancies found", value: kept("reconcile", "discrepancies_found", "\(r.discrepanciesFound)"))
                + field("discrepancies_resolved", "Discrepancies resolved", value: kept("reconcile", "discrepancies_resolved", "\(r.discrepanciesResolved)")))]
        case .signOffException:
            return [form("sign-off", title: "Sign off open discrepancies", button: "Sign off", fields: field("reason", "Why they may stay open", kind: .area, value: kept("sign-off", "reason", "")))]
        case .handover(let role):
            // One form for every role this person may hand over, offered with the first of them.
            let roles = IncidentRole.allCases.filter { procedure.refusal(of: .handover($0), by: session.person, stage: incident.stage, record: record) == nil }
            guard role == roles.first else { return [] }
            return [form("handover", title: "Hand over a role", button: "Hand over", fields:
                field("role", "Role", kind: .choice(roles.map(\.rawValue))) + field("to", "To", kind: .choice(people)))]
        case .tickChecklist:
            let steps = procedure.runbook?.steps ?? []
            return steps.indices.filter { record.checklist[$0 + 1] == nil }.map { index in
                form("checklist", "\(index + 1)", title: "Runbook step \(index + 1)", button: "Done", intro: steps[index], fields: hidden("step", "\(index + 1)"))
            }
        }
    }

    /// What a field of form `key` shows: what the person typed, when that form was just refused, else `fallback`.
    private func kept(_ key: String, _ name: String, _ fallback: String) -> String {
        guard let refusal, refusal.key == key else { return fallback }
        return refusal.fields[name] ?? fallback
    }

    enum FieldKind {
        case line, area, check(Bool), choice([String])
    }

    private func field(_ name: String, _ label: String, kind: FieldKind = .line, value: String = "") -> HTML {
        let id = "f-\(UUID().uuidString.prefix(8))"
        switch kind {
        case .line:
            return "<label for=\"\(id)\">\(label)</label><input id=\"\(id)\" name=\"\(name)\" value=\"\(value)\">"
        case .area:
            return "<label for=\"\(id)\">\(label)</label><textarea id=\"\(id)\" name=\"\(name)\" rows=\"3\">\(value)</textarea>"
        case .check(let checked):
            return "<label class=\"check\"><input type=\"checkbox\" name=\"\(name)\" value=\"true\"\(checked ? HTML(" checked") : .empty)> \(label)</label>"
        case .choice(let options):
            let items = options.map { option -> HTML in "<option>\(option)</option>" }
            return "<label for=\"\(id)\">\(label)</label><select id=\"\(id)\" name=\"\(name)\">\(items)</select>"
        }
    }

    private func hidden(_ name: String, _ value: String) -> HTML {
        "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"
    }

    private func form(_ action: String, _ qualifier: String = "", title: String, button: String, path: String? = nil, intro: String? = nil,
                      fields: HTML = .empty) -> Form {
        let key = [action, qualifier].filter { !$0.isEmpty }.joined(separator: ":")
        var refused = HTML.empty
        if let refusal, refusal.key == key {
            refused = "<p class=\"refusal\" role=\"alert\">Refused: \(refusal.reason)</p>"
        }
        let target = path ?? "/incidents/\(incident.id)/act/\(action)"
        return Form(key: key, html: """
            <form class="command" method="post" action="\(target)" data-key="\(key)"><h3>\(title)</h3>\(refused)
            \(intro.map { "<p>\($0)</p>" as HTML } ?? .empty)\(csrfField(session))\(fields)<button type="submit">\(button)</button></form>
            """)
    }
}

extension HTML {
    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(joining: [lhs, rhs]) }
}
