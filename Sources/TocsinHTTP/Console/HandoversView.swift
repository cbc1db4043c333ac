import Foundation
import TocsinCore

/// `/on-call`, the shift handovers: those of the last day and to come, what each hands over, a
/// button for its incoming person to acknowledge it, and a form for the outgoing holder of a
/// role to write one. The forms post what the handover API takes.
struct HandoversView {
    var handovers: [Handover]
    /// The roles the signed-in person holds as primary now: those they may hand over.
    var roles: [Role]
    var session: ConsoleSession
    /// A refused form: its reason, shown beside it, and what the person typed, put back.
    var refusal: (reason: String, fields: FormFields)?

    var html: HTML {
        let items = handovers.reversed().map { handover -> HTML in
            let state: HTML = if let at = handover.acknowledgedAt {
                "<span class=\"gate-open\">acknowledged \(Moments.text(at))</span>"
            } else if handover.incoming == session.person {
                """
                <form method="post" action="/handovers/\(handover.id)/acknowledge" data-key="acknowledge-handover-\(handover.id)">\(csrfField(session))
                <button type="submit">Acknowledge handover \(handover.id)</button></form>
                """
            } else {
                "<span class=\"quiet\">to be acknowledged by \(Moments.text(handover.acknowledgementDue))</span>"
            }
            return """
                <article class="handover" id="handover-\(handover.id)"><h3>\(handover.role.rawValue): \(handover.outgoing) to \(handover.incoming),
                \(Moments.text(handover.shiftChange))</h3>\(state)
                \(list("In progress", handover.inProgress))\(list("Done", handover.done))\(list("To do", handover.toDo))
                \(list("Open incidents", handover.incidents.map { "#\($0.id) [\($0.severity)] \($0.title) (\($0.stage.rawValue))" + ($0.note.map { ": \($0)" } ?? "") }))
                </article>
                """
        }
        let listed: HTML = handovers.isEmpty ? "<p class=\"quiet\">No handover in the last day.</p>" : "\(items)"
        return """
            <section aria-labelledby="handovers-heading"><h2 id="handovers-heading">Shift handovers</h2>\(listed)\(form)</section>
            """
    }

    private func list(_ title: String, _ items: [String]) -> HTML {
        "<h4>\(title)</h4>" + (items.isEmpty ? "<p class=\"quiet\">none</p>" : "<ul>\(items.map { "<li>\($0)</li>" as HTML })</ul>")
    }

    private var form: HTML {
        guard !roles.isEmpty || refusal != nil else { return .empty }
        let fields = refusal?.fields
        let notice: HTML = refusal.map { "<p class=\"refusal\" role=\"alert\">Refused: \($0.reason)</p>" } ?? .empty
        let options = roles.map { role -> HTML in
            "<option value=\"\(role.rawValue)\"\(fields?["role"] == role.rawValue ? " selected" as HTML : .empty)>\(role.rawValue)</option>"
        }
        return """
            <form class="command" method="post" action="/handovers" data-key="handover"><h3>Hand your shift over</h3>\(notice)\(csrfField(session))
            <p class="quiet">The incidents open now are listed with their stage for you.</p>
            <label for="handover-role">Role</label><select id="handover-role" name="role">\(options)</select>
            <label for="handover-in-progress">In progress, one a line</label>
            <textarea id="handover-in-progress" name="in_progress" rows="3">\(fields?["in_progress"] ?? "")</textarea>
            <label for="handover-done">Done, one a line</label><textarea id="handover-done" name="done" rows="3">\(fields?["done"] ?? "")</textarea>
            <label for="handover-to-do">To do, one a line</label><textarea id="handover-to-do" name="to_do" rows="3">\(fields?["to_do"] ?? "")</textarea>
            <button type="submit">Write the handover</button></form>
            """
    }

    /// The request a posted form makes: each list one item a line, blank lines left out.
    static func request(_ fields: FormFields) -> HandoverRequest {
        func lines(_ name: String) -> [String] {
            (fields[name] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return HandoverRequest(role: Role(fields["role"] ?? ""), inProgress: lines("in_progress"), done: lines("done"), toDo: lines("to_do"))
    }
}
