import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin report --from DATE --to DATE`
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Response figures across incidents: MTTA and MTTR by service and severity, acknowledgement per responder, update cadences.",
        discussion: "Dates are UTC days (2026-11-01) or ISO 8601 times; --to is exclusive. --html writes a page with a chart."
    )

    @Option(help: "First day (or time) to include.") var from: String
    @Option(help: "Day (or time) to stop before.") var to: String
    @Option(help: "Also write the report as an HTML page with a chart to this file.") var html: String?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let query = "from=\(from)&to=\(to)"
        let data = try await server.call("GET", "/api/v1/reports/response?\(query)&format=json")
        let report = try TocsinJSON.decoder.decode(ResponseReport.self, from: data)
        print(report.text)
        if let html {
            try Data(report.html.utf8).write(to: URL(fileURLWithPath: html))
            print("Wrote \(html).")
        }
    }
}
