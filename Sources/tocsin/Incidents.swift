import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin incidents`
struct Incidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List incidents, newest first.")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let data = try await server.call("GET", "/api/v1/incidents")
        let incidents = try TocsinJSON.decoder.decode([Incident].self, from: data)
        guard !incidents.isEmpty else {
            print("No incidents.")
            return
        }
        let rows = incidents.map { incident in
            [String(incident.id), incident.severity.description, incident.stage.rawValue, incident.service,
             UTCTime.string(incident.openedAt), incident.acknowledgedBy ?? "-", incident.title]
        }
        print(TextTable(header: ["ID", "SEV", "STAGE", "SERVICE", "OPENED (UTC)", "ACKED BY", "SUMMARY"], rows: rows).text)
    }
}
