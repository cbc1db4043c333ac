import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin incidents`
struct Incidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List incidents, newest first.")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let data = try await server.call("GET", "/api/v1/incidents")
        let incidents = try TimelineExport.jsonDecoder.decode([Incident].self, from: data)
        guard !incidents.isEmpty else {
            print("No incidents.")
            return
        }
        let rows = incidents.map { incident in
            [String(incident.id), incident.severity.description, incident.stage.rawValue, incident.service,
             UTCTime.string(incident.openedAt), incident.acknowledgedBy ?? "-", incident.title]
        }
        print(Table(header: ["ID", "SEV", "STAGE", "SERVICE", "OPENED (UTC)", "ACKED BY", "SUMMARY"], rows: rows).text)
    }
}

/// A plain-text table with aligned columns.
struct Table {
    var header: [String]
    var rows: [[String]]

    var text: String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
