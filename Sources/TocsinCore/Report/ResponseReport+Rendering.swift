import Foundation

extension ResponseReport {
    /// The report as aligned text tables for the terminal.
    public var text: String {
        var out = "Response figures \(UTCTime.string(from)) – \(UTCTime.string(to)): \(incidents) incidents\n\n"
        out += TextTable(header: ["SERVICE", "SEV", "INCIDENTS", "MTTA", "MTTR", "ACKED", "RECOVERED"], rows: byServiceAndSeverity.map {
            [$0.service, $0.severity.description, "\($0.incidents)", DurationWords.text($0.mtta), DurationWords.text($0.mttr), "\($0.acknowledged)", "\($0.recovered)"]
        }).text + "\n\n"
        out += TextTable(header: ["RESPONDER", "ACKS", "MEDIAN", "MEAN", "SLOWEST"], rows: responders.map {
            [$0.person, "\($0.acknowledgements)", DurationWords.text($0.median), DurationWords.text($0.mean), DurationWords.text($0.slowest)]
        }).text + "\n\n"
        out += TextTable(header: ["CADENCE", "OWED BY", "ON TIME", "LATE", "MISSED", "ON-TIME RATE"], rows: cadences.map {
            [$0.kind.rawValue, $0.role.rawValue, "\($0.onTime)", "\($0.late)", "\($0.missed)", $0.compliance.map { String(format: "%.0f%%", $0 * 100) } ?? "–"]
        }).text + "\n"
        return out
    }

    /// The report as a standalone HTML page with a bar chart of MTTA and MTTR per service.
    public var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let rows = byServiceAndSeverity
        let longest = max(1, rows.flatMap { [$0.mtta ?? 0, $0.mttr ?? 0] }.max() ?? 1)
        let barHeight = 14.0, gap = 10.0, labelWidth = 190.0, chartWidth = 420.0
        var bars = ""
        for (index, row) in rows.enumerated() {
            let y = Double(index) * (2 * barHeight + gap) + 20
            let mtta = (row.mtta ?? 0) / longest * chartWidth, mttr = (row.mttr ?? 0) / longest * chartWidth
            bars += """
                <text x="0" y="\(y + barHeight)" class="label">\(escape(row.service)) \(row.severity)</text>
                <rect x="\(labelWidth)" y="\(y)" width="\(mtta)" height="\(barHeight)" class="mtta"/>
                <text x="\(labelWidth + mtta + 4)" y="\(y + barHeight - 3)">MTTA \(DurationWords.text(row.mtta))</text>
                <rect x="\(labelWidth)" y="\(y + barHeight)" width="\(mttr)" height="\(barHeight)" class="mttr"/>
                <text x="\(labelWidth + mttr + 4)" y="\(y + 2 * barHeight - 3)">MTTR \(DurationWords.text(row.mttr))</text>

                """
        }
        let height = Double(rows.count) * (2 * barHeight + gap) + 30
        func table(_ header: [String], _ body: [[String]]) -> String {
            "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
                + body.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tocsin response figures</title>
            <style>
            body { font: 11pt/1.4 system-ui, "DejaVu Sans", sans-serif; max-width: 60em; margin: 2em auto; color: #111; }
            table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
            th { background: #eee; } svg text { font-size: 11px; } .label { font-weight: bold; }
            .mtta { fill: #4a7fd4; } .mttr { fill: #e08a2c; }
            </style></head><body>
            <h1>Response figures</h1>
            <p>\(UTCTime.string(from)) – \(UTCTime.string(to)): \(incidents) incidents.</p>
            <h2>MTTA and MTTR by service and severity</h2>
            <svg width="\(labelWidth + chartWidth + 140)" height="\(height)" role="img" aria-label="MTTA and MTTR by service">
            \(bars)</svg>
            \(table(["Service", "Severity", "Incidents", "MTTA", "MTTR"], rows.map { [$0.service, $0.severity.description, "\($0.incidents)", DurationWords.text($0.mtta), DurationWords.text($0.mttr)] }))
            <h2>Acknowledgement per responder</h2>
            \(table(["Responder", "Acknowledgements", "Median", "Mean", "Slowest"], responders.map { [$0.person, "\($0.acknowledgements)", DurationWords.text($0.median), DurationWords.text($0.mean), DurationWords.text($0.slowest)] }))
            <h2>Update cadences</h2>
            \(table(["Cadence", "Owed by", "On time", "Late", "Missed", "On-time rate"], cadences.map { [$0.kind.rawValue, $0.role.rawValue, "\($0.onTime)", "\($0.late)", "\($0.missed)", $0.compliance.map { String(format: "%.0f%%", $0 * 100) } ?? "–"] }))
            </body></html>
            """
    }
}

/// A plain-text table with aligned columns, for terminals.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    public var text: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
