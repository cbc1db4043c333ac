import Foundation

/// The formats an incident can be exported in.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// The complete record, machine-readable, described by `Deploy/incident-export.schema.json`.
    case json
    /// The timeline, one row per event, for spreadsheets.
    case csv
    case markdown
    /// A printable report.
    case html

    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }
}

extension IncidentExport {
    public func rendered(as format: ExportFormat) throws -> Data {
        switch format {
        case .json: try TocsinJSON.encoder.encode(self)
        case .csv: Data(csv.utf8)
        case .markdown: Data(markdown.utf8)
        case .html: Data(html.utf8)
        }
    }
}

/// Durations as people read them in reports: `4m 05s`, `1h 20m`.
public enum DurationWords {
    public static func text(_ seconds: TimeInterval?) -> String {
        guard let seconds else { return "–" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60)
        if hours > 0 { return "\(hours)h \(String(format: "%02d", minutes))m" }
        if minutes > 0 { return "\(minutes)m \(String(format: "%02d", secs))s" }
        return "\(secs)s"
    }
}

extension IncidentExport {
    /// The figures as (label, value) rows, shared by the text formats.
    var figureRows: [(String, String)] {
        [("Time to acknowledge", DurationWords.text(figures.acknowledge)), ("Time to stop trading", DurationWords.text(figures.stopTrading)),
         ("Time to recover", DurationWords.text(figures.recover)), ("Time to reconcile", DurationWords.text(figures.reconcile)),
         ("Time to close", DurationWords.text(figures.close))]
    }

    /// Every acknowledgement that took effect, the first one first: after one ran out, the
    /// incident was acknowledged again.
    var acknowledgements: String {
        let all = events.filter { $0.kind == .acknowledged }
        guard let first = all.first else { return "not yet" }
        return (["\(UTCTime.string(first.at)) by \(first.actor)"] + all.dropFirst().map { "again \(UTCTime.string($0.at)) by \($0.actor) after the last one ran out" })
            .joined(separator: "; ")
    }

    var factRows: [(String, String)] {
        let reconciliation = procedure.reconciliation
        var rows = [("Service", incident.service), ("Severity", incident.severity.description), ("Stage", incident.stage.rawValue),
                    ("Opened", UTCTime.string(incident.openedAt)),
                    ("Acknowledged", acknowledgements),
                    ("Runbook", incident.runbookID ?? "none"), ("Commander", procedure.roles.commander ?? "–")]
        if let assessment = procedure.assessment {
            rows.append(("Fault started", UTCTime.string(assessment.faultStartedAt)))
            rows.append(("Scope", assessment.scope))
            rows.append(("All business affected", assessment.allBusinessAffected ? "yes" : "no"))
        }
        if let plan = procedure.plan {
            rows.append(("Root cause", plan.rootCause))
            rows.append(("Plan approved by", plan.approvedBy ?? "not approved"))
        }
        if let stop = procedure.stopTrading {
            rows.append(("Stop trading", "\(stop.what): proposed by \(stop.proposedBy), approved by \(stop.approvedBy ?? "nobody")"))
        }
        rows.append(("Affected transactions", "\(reconciliation.affectedTransactions)"))
        rows.append(("Amount", [reconciliation.amount, reconciliation.currency].compactMap { $0 }.joined(separator: " ").nonEmpty ?? "–"))
        rows.append(("Channels / banks", (reconciliation.channels + reconciliation.banks).joined(separator: ", ").nonEmpty ?? "–"))
        rows.append(("Discrepancies", "\(reconciliation.discrepanciesFound) found, \(reconciliation.discrepanciesResolved) resolved, \(reconciliation.openDiscrepancies) open"))
        if let exception = reconciliation.exception { rows.append(("Signed-off exception", "\(exception.reason) (\(exception.by))")) }
        if let closing = procedure.closing {
            rows.append(("Summary", closing.summary))
            rows.append(("Follow-ups", closing.followUps.joined(separator: "; ")))
        }
        return rows
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
