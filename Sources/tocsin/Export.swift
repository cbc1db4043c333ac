import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin export ID`
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export an incident's whole timeline for review or audit.",
        discussion: "Times are UTC. Each event carries the hash of the one before it, so an edited record shows."
    )

    @Argument(help: "The incident id.")
    var id: Int64

    @Option(help: "json or markdown.")
    var format: String = "markdown"

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard TimelineExport.Format(rawValue: format) != nil else {
            throw ValidationError("Unknown format \"\(format)\"; choose json or markdown.")
        }
    }

    func run() async throws {
        let data = try await server.call("GET", "/api/v1/incidents/\(id)/export?format=\(format)")
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("Wrote incident \(id) as \(format) to \(output) (\(data.count) bytes).\n".utf8))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
