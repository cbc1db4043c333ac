import Foundation

/// The formats a regulatory draft is rendered in.
public enum DraftFormat: String, Sendable, CaseIterable {
    case markdown
    case html
    case json

    public var contentType: String {
        switch self {
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .json: "application/json"
        }
    }
}

extension ReportDraft {
    public func rendered(as format: DraftFormat) throws -> Data {
        switch format {
        case .markdown: Data(markdown.utf8)
        case .html: Data(html.utf8)
        case .json: try TocsinJSON.encoder.encode(self)
        }
    }

    private var heading: String { "\(regimeTitle): \(reportTitle), incident \(incidentID)" }

    private var dueLine: String {
        "Due \(dueAt.map(UTCTime.string) ?? "once its clock starts") (\(clock)). Drafted \(UTCTime.string(draftedAt)); this would be version \(version)."
    }

    private var submissionLines: [String] {
        submissions.map { "Version \($0.version): submitted \(UTCTime.string($0.submittedAt)) by \($0.submittedBy), reference \($0.reference.isEmpty ? "–" : $0.reference)" }
    }

    /// Markdown for pasting into a regulator's form or an e-mail. Text from alerts and people is
    /// kept from breaking out of its table cell.
    public var markdown: String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: "<br>")
        }
        var lines = ["# \(cell(heading))", "", "Incident: \(cell(incidentTitle))", "", dueLine, "", "| Field | Value |", "|---|---|"]
        lines += fields.map { "| \(cell($0.label)) | \($0.value.map(cell) ?? "**missing**") |" }
        lines.append("")
        lines.append(missing.isEmpty ? "Every required field is on record." : "Still missing: \(missing.joined(separator: ", ")).")
        if !submissionLines.isEmpty { lines += ["", "## Submitted", ""] + submissionLines.map { "- \(cell($0))" } }
        lines += ["", "Source: \(cell(source))"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A page to print or attach, every piece of recorded text escaped.
    public var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
        }
        let rows = fields.map { field in
            "<tr\(field.value == nil ? " class=\"missing\"" : "")><th>\(escape(field.label))</th><td>"
                + (field.value.map { escape($0).replacingOccurrences(of: "\n", with: "<br>") } ?? "<strong>missing</strong>") + "</td></tr>"
        }.joined(separator: "\n")
        let missingText = missing.isEmpty ? "Every required field is on record." : "Still missing: \(escape(missing.joined(separator: ", ")))."
        let submitted = submissionLines.isEmpty ? "" : "<h2>Submitted</h2><ul>" + submissionLines.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>\(escape(heading))</title>
            <style>body{font:14px/1.4 system-ui,sans-serif;max-width:50em;margin:2em auto}table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}th{width:14em}.missing td{color:#a00}</style>
            </head><body>
            <h1>\(escape(heading))</h1>
            <p>Incident: \(escape(incidentTitle))</p>
            <p>\(escape(dueLine))</p>
            <table><tbody>
            \(rows)
            </tbody></table>
            <p class="missing-list">\(missingText)</p>
            \(submitted)
            <p><small>Source: \(escape(source))</small></p>
            </body></html>

            """
    }
}
