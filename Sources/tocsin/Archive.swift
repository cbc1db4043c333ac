import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin archive`
struct Archive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Archive now what retention no longer keeps (leadership, reviewers).",
        discussion: """
            Closed incidents and resolved alerts older than retention.archive_after in tocsin.yaml are written to verified JSON \
            files in retention.directory and removed from the database, as tocsind does every retention.every. \
            `tocsin verify FILE` checks an archived incident's file.
            """
    )

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let data = try await server.call("POST", "/api/v1/archive")
        let summary = try TocsinJSON.decoder.decode(ArchiveSummary.self, from: data)
        let incidents = summary.incidents.isEmpty ? "no incident" : "incidents " + summary.incidents.map(String.init).joined(separator: ", ")
        print("Archived \(incidents) and \(summary.alerts) resolved alerts.")
        for file in summary.files { print("  \(file)") }
        for reason in summary.skipped { print("Left for the next pass: \(reason)") }
    }
}
