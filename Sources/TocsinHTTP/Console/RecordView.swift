import Foundation
import TocsinCore

/// What the procedure has on record for the incident so far: the assessment, the stop-trading
/// order, the recovery plan and its operations, the reconciliation figures and the runbook's
/// checklist. Read here; changed only through the forms beside it.
struct RecordView {
    var record: ProcedureRecord
    var runbook: Runbook?

    var html: HTML {
        var parts: [HTML] = []
        if let assessment = record.assessment {
            parts.append("""
                <h3>Assessment</h3><dl class="facts-list"><dt>Fault started</dt><dd>\(Moments.text(assessment.faultStartedAt))</dd>
                <dt>Scope</dt><dd>\(assessment.scope)</dd><dt>Spread</dt><dd>\(assessment.spread)</dd>
                <dt>Affected services</dt><dd>\(assessment.affectedServices.joined(separator: ", "))</dd>
                <dt>All business affected</dt><dd>\(assessment.allBusinessAffected ? "yes" : "no")</dd>
                <dt>First view of the cause</dt><dd>\(assessment.initialCause ?? "not given")</dd><dt>By</dt><dd>\(assessment.recordedBy)</dd></dl>
                """)
        }
        if let stop = record.stopTrading {
            let approval = stop.approvedBy.map { "approved by \($0)" } ?? "awaiting a second person's approval"
            let state = record.tradingResumedAt.map { "resumed at \(Moments.text($0))" } ?? (record.tradingStopped ? "stopped" : "not stopped")
            parts.append("""
                <h3>Stop trading</h3><dl class="facts-list"><dt>What</dt><dd>\(stop.what)</dd>
                <dt>Proposed by</dt><dd>\(stop.proposedBy), \(approval)</dd><dt>Trading</dt><dd>\(state)</dd></dl>
                """)
        }
        if let plan = record.plan {
            let operations = record.operations.map { operation -> HTML in
                "<li>\(Moments.text(operation.at)) <strong>\(operation.by)</strong>: \(operation.action) → \(operation.result)</li>"
            }
            parts.append("""
                <h3>Recovery plan</h3><dl class="facts-list"><dt>Root cause</dt><dd>\(plan.rootCause)</dd><dt>Steps</dt><dd>\(plan.steps)</dd>
                <dt>By</dt><dd>\(plan.recordedBy), \(plan.approvedBy.map { "approved by \($0)" } ?? "not approved yet")</dd>
                <dt>Service restored</dt><dd>\(record.serviceRestoredAt.map(Moments.text) ?? "not yet")</dd></dl>
                \(operations.isEmpty ? HTML.empty : "<h4>Operations</h4><ol class=\"operations\">\(operations)</ol>")
                """)
        }
        if record.reconciliation != Reconciliation() {
            let r = record.reconciliation
            parts.append("""
                <h3>Reconciliation</h3><dl class="facts-list"><dt>Affected transactions</dt><dd>\(r.affectedTransactions)</dd>
                <dt>Amount</dt><dd>\(r.amount ?? "not given") \(r.currency ?? "")</dd>
                <dt>Discrepancies</dt><dd>\(r.discrepanciesFound) found, \(r.discrepanciesResolved) resolved, \(r.openDiscrepancies) open</dd>
                <dt>Signed-off exception</dt><dd>\(r.exception.map { "\($0.by): \($0.reason)" } ?? "none")</dd></dl>
                """)
        }
        if let steps = runbook?.steps, !steps.isEmpty {
            let items = steps.enumerated().map { index, step -> HTML in
                let tick = record.checklist[index + 1]
                return "<li class=\"\(tick == nil ? "open" : "done")\">\(step)\(tick.map { " <span class=\"quiet\">done by \($0.by), \(Moments.text($0.at))</span>" } ?? "")</li>"
            }
            parts.append("<h3>Runbook: \(runbook?.title ?? "")</h3><ol class=\"checklist\">\(items)</ol>")
        }
        guard !parts.isEmpty else { return .empty }
        return "<section aria-labelledby=\"record-heading\"><h2 id=\"record-heading\">On record</h2>\(parts)</section>"
    }
}
