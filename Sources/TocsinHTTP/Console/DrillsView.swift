import Foundation
import TocsinCore

/// `/drills`: the form that starts a drill, and every drill so far with a link to its scorecard.
struct DrillsView {
    var history: DrillHistory
    var runbooks: [Runbook]
    var session: ConsoleSession
    /// Why the last start was refused, shown above the form.
    var refusal: String?

    var html: HTML {
        let runbookOptions = runbooks.sorted { $0.id < $1.id }.map { "<option value=\"\($0.id)\">\($0.title) (\($0.id))</option>" as HTML }
        let severities = Severity.allCases.map { "<option value=\"\($0.description)\">\($0.description)</option>" as HTML }
        let refused: HTML = refusal.map { "<p class=\"refusal\" role=\"alert\">\($0)</p>" } ?? .empty
        let rows = history.drills.reversed().map { drill -> HTML in
            """
            <tr><td><a href="/incidents/\(drill.incidentID)">#\(drill.incidentID)</a> \(drill.title)</td><td>\(Moments.text(drill.openedAt))</td>
            <td>\(drill.closed ? "closed" : "running")</td><td><a href="/drills/\(drill.incidentID)">Scorecard</a></td></tr>
            """
        }
        let list: HTML = rows.isEmpty ? "<p class=\"quiet\">No drill yet.</p>" : """
            <table><thead><tr><th scope="col">Drill</th><th scope="col">Opened</th><th scope="col">State</th><th scope="col">Scorecard</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
            <h1>Drills</h1>
            <p>A drill runs the real procedure with the real roster, escalation and clocks. Every page and notice opens with DRILL,
            the trade switch is never called, and drills stay out of the response figures.</p>
            <section aria-labelledby="start-heading"><h2 id="start-heading">Start a drill</h2>\(refused)
            <form class="command" method="post" action="/drills">\(csrfField(session))
            <label for="drill-runbook">Scenario</label><select id="drill-runbook" name="runbook">\(runbookOptions)</select>
            <label for="drill-severity">Severity</label><select id="drill-severity" name="severity">\(severities)</select>
            <label for="drill-script">Script (YAML, optional)</label><textarea id="drill-script" name="script" rows="6"></textarea>
            <button type="submit">Start the drill</button></form></section>
            <section aria-labelledby="drills-heading"><h2 id="drills-heading">Drills so far</h2>\(list)</section>
            """
    }
}

/// `/drills/{id}`: a drill's scorecard in the console.
struct ScorecardView {
    var card: DrillScorecard

    var html: HTML {
        let sections = card.sections.map { section -> HTML in
            let body: HTML = section.rows.isEmpty ? "<p class=\"quiet\">None.</p>" : """
                <table><thead><tr>\(section.header.map { "<th scope=\"col\">\($0)</th>" as HTML })</tr></thead>
                <tbody>\(section.rows.map { row in "<tr>\(row.map { "<td>\($0)</td>" as HTML })</tr>" as HTML })</tbody></table>
                """
            return "<section><h2>\(section.title)</h2>\(body)</section>"
        }
        return """
            <h1>Drill #\(card.incidentID): \(card.title)</h1><p>\(card.span).</p>
            <p><a href="/incidents/\(card.incidentID)">The drill's incident page</a> · <a href="/drills">All drills</a></p>
            \(sections)
            """
    }
}
