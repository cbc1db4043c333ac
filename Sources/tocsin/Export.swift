import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin export ID`
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export an incident for review or audit (reviewers, commanders, leadership).",
        discussion: """
            json: the complete record (schema in Deploy/incident-export.schema.json); csv: the timeline, one row per event; \
            markdown; html: a printable report. Times are UTC, with your local time beside them. Each event carries the \
            hash of the one before, so `tocsin verify FILE.json` detects an edited export. Every export is recorded on the incident's timeline.
            """
    )

    @Argument(help: "The incident id.")
    var id: Int64

    @Option(help: "json, csv, markdown or html.")
    var format: String = "markdown"

    @Option(help: "IANA time zone for local times (default: this machine's).")
    var tz = TimeZone.current.identifier

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard ExportFormat(rawValue: format) != nil else {
            throw ValidationError("Unknown format \"\(format)\"; choose json, csv, markdown or html.")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        if output != nil { FileHandle.standardError.write(Data("Exporting incident \(id) as \(format)…".utf8)) }
        let zone = tz.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? tz
        let data = try await server.call("POST", "/api/v1/incidents/\(id)/export?format=\(format)&tz=\(zone)")
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
            let elapsed = ContinuousClock.now - started
            FileHandle.standardError.write(Data(" done: \(data.count) bytes to \(output) in \(elapsed.formatted(.units(allowed: [.milliseconds])))\n".utf8))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
