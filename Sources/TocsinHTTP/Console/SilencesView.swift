import Foundation
import TocsinCore

/// `/on-call`, second part: silences and maintenance windows in force or to come, a form to
/// end each and one to create another. The forms post what the silence API takes.
struct SilencesView {
    var silences: [Silence]
    var session: ConsoleSession
    var now: Date
    /// A refused form: its reason, shown beside it, and what the person typed, put back.
    var refusal: (reason: String, fields: FormFields)?

    var html: HTML {
        let rows = silences.map { silence -> HTML in
            let state = silence.state(at: now)
            let end: HTML = state == .expired ? "<span class=\"quiet\">ended</span>" : """
                <form method="post" action="/silences/\(silence.id)/end" data-key="end-silence-\(silence.id)">\(csrfField(session))
                <button type="submit" aria-label="End silence \(silence.id)">End</button></form>
                """
            return """
                <tr id="silence-\(silence.id)"><td>\(silence.id)</td><td><ul class="matchers">\(silence.matchers.map { "<li><code>\($0.text)</code></li>" as HTML })</ul></td>
                <td>\(silence.comment)</td><td>\(silence.createdBy)</td><td><span class="silence \(state.rawValue)">\(state.rawValue)</span></td>
                <td>\(Moments.text(silence.startsAt))</td><td>\(Moments.text(silence.effectiveEnd))</td><td>\(end)</td></tr>
                """
        }
        let list: HTML = silences.isEmpty ? "<p class=\"quiet\">No silence is in force or scheduled.</p>" : """
            <table class="silences"><thead><tr><th scope="col">Id</th><th scope="col">Matches</th><th scope="col">Why</th><th scope="col">By</th>
            <th scope="col">State</th><th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">Action</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return """
            <section aria-labelledby="silences-heading"><h2 id="silences-heading">Silences and maintenance windows</h2>\(list)\(form)</section>
            """
    }

    private var form: HTML {
        let fields = refusal?.fields
        let notice: HTML = refusal.map { "<p class=\"refusal\" role=\"alert\">Refused: \($0.reason)</p>" } ?? .empty
        let ends = fields?["ends_at"] ?? String(UTCTime.string(now.addingTimeInterval(7200)).prefix(19)) + "Z"
        return """
            <form class="command" method="post" action="/silences" data-key="silence"><h3>Silence alerts</h3>\(notice)\(csrfField(session))
            <label for="silence-matchers">Matchers, one a line: <code>service=payments-core</code>, <code>alertname=~Disk.*</code>, <code>team!=ops</code></label>
            <textarea id="silence-matchers" name="matchers" rows="3" required>\(fields?["matchers"] ?? "")</textarea>
            <label for="silence-starts">Starts (UTC, ISO 8601; empty for now)</label>
            <input id="silence-starts" name="starts_at" value="\(fields?["starts_at"] ?? "")">
            <label for="silence-ends">Ends (UTC, ISO 8601)</label><input id="silence-ends" name="ends_at" value="\(ends)" required>
            <label for="silence-comment">Why</label><input id="silence-comment" name="comment" value="\(fields?["comment"] ?? "")" required>
            <button type="submit">Silence</button></form>
            """
    }
}
