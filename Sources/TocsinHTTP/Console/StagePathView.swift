import TocsinCore

/// The procedure as a path, `reported → assessing → … → closed`, with where the incident
/// stands and, for each stage it may move to next, what the gate still misses.
struct StagePathView {
    var stage: Stage
    var record: ProcedureRecord

    static let path: [Stage] = [.reported, .assessing, .tradingStopped, .recovering, .reconciling, .closed]

    var html: HTML {
        let position = Self.path.firstIndex(of: stage) ?? 0
        let steps = Self.path.enumerated().map { index, step -> HTML in
            let state = step == stage ? "current" : index < position ? "passed" : "ahead"
            let skipped = step == .tradingStopped && !record.tradingStopped && position > index
            let optional: HTML = step == .tradingStopped ? " <span class=\"optional\">only when all business is affected</span>" : .empty
            let current: HTML = step == stage ? " aria-current=\"step\"" : .empty
            return "<li class=\"\(skipped ? "skipped" : state)\"\(current)>\(step.rawValue)\(optional)</li>"
        }
        return """
            <section class="procedure" aria-labelledby="stage-heading"><h2 id="stage-heading">Stage</h2>
            <ol class="stage-path">\(steps)</ol>\(gates)</section>
            """
    }

    private var gates: HTML {
        let next = Procedure.next(after: stage)
        guard !next.isEmpty else { return "<p class=\"quiet\">Closed: the procedure is complete.</p>" }
        let items = next.map { target -> HTML in
            let unmet = Procedure.unmet(leaving: stage, for: target, record: record)
            let body: HTML = unmet.isEmpty
                ? "<p class=\"gate-open\">Everything the gate asks for is recorded.</p>"
                : "<ul class=\"gate-missing\">\(unmet.map { error -> HTML in "<li>\(Self.words(error))</li>" })</ul>"
            return "<div class=\"gate\"><h3>To move to \(target.rawValue)</h3>\(body)</div>"
        }
        return HTML(joining: items)
    }

    /// A gate's refusal as a checklist item: what is missing rather than the whole sentence.
    static func words(_ error: ProcedureError) -> String {
        if case .missing(let what, _) = error { return "Missing: \(what)" }
        return error.description
    }
}
