import Foundation
import TocsinCore

/// `/review`: the response report for a period (the figures `GET /api/v1/reports/response`
/// gives) with its charts, downloads of the report, and an export form for each incident of
/// the period (exporting is recorded on the incident, so it is a form that posts).
struct ReviewView {
    var report: ResponseReport
    var incidents: [Incident]
    var session: ConsoleSession

    var html: HTML {
        let period = "from=\(Self.day(report.from))&to=\(Self.day(report.to))"
        let downloads = ["json": "JSON", "text": "text", "html": "HTML"].sorted { $0.key < $1.key }.map { format, name -> HTML in
            "<li><a href=\"/review/report?\(period)&amp;format=\(format)\" download>Response report (\(name))</a></li>"
        }
        return """
            <h1>Review</h1>
            <form class="filter" method="get" action="/review"><label for="review-from">From (UTC day)</label>
            <input id="review-from" name="from" type="date" value="\(Self.day(report.from))">
            <label for="review-to">To (UTC day, not included)</label><input id="review-to" name="to" type="date" value="\(Self.day(report.to))">
            <button type="submit">Show</button></form>
            <p>\(report.incidents) incident\(report.incidents == 1 ? "" : "s") opened from \(Moments.text(report.from)) to \(Moments.text(report.to)).</p>
            <ul class="downloads">\(downloads)</ul>
            \(serviceSection)\(responderSection)\(cadenceSection)\(exportSection)
            """
    }

    private var serviceSection: HTML {
        let rows = report.byServiceAndSeverity
        let chart = BarChart(title: "Mean time to acknowledge and to recover by service and severity", groups: rows.map { row in
            .init(label: "\(row.service) \(row.severity)", bars: [
                .init(series: "mtta", value: row.mtta ?? 0, text: "MTTA \(DurationWords.text(row.mtta))"),
                .init(series: "mttr", value: row.mttr ?? 0, text: "MTTR \(DurationWords.text(row.mttr))"),
            ])
        })
        let body = rows.map { row -> HTML in
            "<tr><td>\(row.service)</td><td>\(row.severity.description)</td><td>\(row.incidents)</td><td>\(DurationWords.text(row.mtta))</td><td>\(DurationWords.text(row.mttr))</td><td>\(row.acknowledged)</td><td>\(row.recovered)</td></tr>"
        }
        return section("service", "MTTA and MTTR by service and severity", rows.isEmpty ? nil : chart, header: ["Service", "Severity", "Incidents", "MTTA", "MTTR", "Acknowledged", "Recovered"], body: body)
    }

    private var responderSection: HTML {
        let chart = BarChart(title: "Median time to acknowledge per responder", groups: report.responders.map { row in
            .init(label: row.person, bars: [.init(series: "median", value: row.median, text: "median \(DurationWords.text(row.median))")])
        })
        let body = report.responders.map { row -> HTML in
            "<tr><td>\(row.person)</td><td>\(row.acknowledgements)</td><td>\(DurationWords.text(row.median))</td><td>\(DurationWords.text(row.mean))</td><td>\(DurationWords.text(row.slowest))</td></tr>"
        }
        return section("responders", "Acknowledgement per responder", report.responders.isEmpty ? nil : chart,
                       header: ["Responder", "Acknowledgements", "Median", "Mean", "Slowest"], body: body)
    }

    private var cadenceSection: HTML {
        let owed = report.cadences.filter { $0.compliance != nil }
        let chart = BarChart(title: "Updates posted on time, share of those owed", groups: owed.map { row in
            .init(label: "\(row.kind.rawValue) (\(row.role.rawValue))", bars: [.init(series: "on-time", value: row.compliance ?? 0, text: Self.percent(row.compliance))])
        }, scale: 1)
        let body = report.cadences.map { row -> HTML in
            "<tr><td>\(row.kind.rawValue)</td><td>\(row.role.rawValue)</td><td>\(row.onTime)</td><td>\(row.late)</td><td>\(row.missed)</td><td>\(Self.percent(row.compliance))</td></tr>"
        }
        return section("cadences", "Update cadences", owed.isEmpty ? nil : chart, header: ["Cadence", "Owed by", "On time", "Late", "Missed", "On-time rate"], body: body)
    }

    private var exportSection: HTML {
        guard !incidents.isEmpty else { return .empty }
        let formats = ExportFormat.allCases.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" as HTML }
        let rows = incidents.map { incident -> HTML in
            """
            <tr><td><a href="/incidents/\(incident.id)">#\(incident.id)</a> \(incident.title)</td><td>\(incident.stage.rawValue)</td><td>
            <form class="export" method="post" action="/incidents/\(incident.id)/export">\(csrfField(session))
            <label for="export-\(incident.id)">Format</label><select id="export-\(incident.id)" name="format">\(formats)</select>
            <button type="submit">Download export</button></form></td></tr>
            """
        }
        return """
            <section aria-labelledby="exports-heading"><h2 id="exports-heading">Incident exports</h2>
            <p class="quiet">Each export is recorded on the incident's timeline.</p>
            <table><thead><tr><th scope="col">Incident</th><th scope="col">Stage</th><th scope="col">Export</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    private func section(_ id: String, _ title: String, _ chart: BarChart?, header: [String], body: [HTML]) -> HTML {
        let table: HTML = body.isEmpty ? "<p class=\"quiet\">Nothing to show for this period.</p>" : """
            <table><thead><tr>\(header.map { "<th scope=\"col\">\($0)</th>" as HTML })</tr></thead><tbody>\(body)</tbody></table>
            """
        return "<section aria-labelledby=\"\(id)-heading\"><h2 id=\"\(id)-heading\">\(title)</h2>\(chart?.html ?? .empty)\(table)</section>"
    }

    static func day(_ date: Date) -> String { String(UTCTime.string(date).prefix(10)) }

    static func percent(_ share: Double?) -> String { share.map { String(format: "%.0f%%", $0 * 100) } ?? "–" }
}
