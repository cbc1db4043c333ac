import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin drill start|report|history`
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Rehearse the emergency procedure: start a drill, read its scorecard, follow each team's trend.",
        discussion: "Leadership, commanders (fault_analyst) and reviewers run and read drills. docs/drills.md explains scripts and scorecards.",
        subcommands: [Start.self, ReportCommand.self, History.self]
    )

    /// `tocsin drill start RUNBOOK [--severity SEV] [--script FILE]`
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a drill: the runbook's scenario, paged and clocked as a real incident, every page marked DRILL.",
            discussion: "The trade switch is never called for a drill. A script (YAML) injects events on a schedule; Deploy/drills/ has an example and docs/drills.md the format."
        )

        @Argument(help: "The runbook id of the scenario to rehearse.") var runbook: String
        @Option(help: "SEV1 to SEV4.") var severity = "SEV1"
        @Option(help: "A drill script (YAML) of events to inject.") var script: String?
        @OptionGroup var server: ServerOptions

        func run() async throws {
            var body: [String: Any] = ["runbook": runbook, "severity": severity]
            if let script {
                guard let data = FileManager.default.contents(atPath: script), let text = String(data: data, encoding: .utf8) else {
                    throw ClientError("Cannot read the drill script \(script).")
                }
                body["script"] = text
            }
            let data = try await server.call("POST", "/api/v1/drills", body: try JSONSerialization.data(withJSONObject: body))
            let answer = (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            let incident = answer["incident"] as? [String: Any] ?? [:]
            print("Drill \(incident["id"] ?? "?") opened: \(incident["title"] ?? "?") (\(incident["severity"] ?? "?")), \(answer["injections"] ?? 0) scripted injections.")
        }
    }

    /// `tocsin drill report ID`
    struct ReportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "A drill's scorecard: response per role, stages, deadlines, updates, gates, checklist, who did what.")

        @Argument(help: "The drill's incident id.") var id: Int64
        @Option(help: "text, markdown, html or json.") var format = "text"
        @OptionGroup var server: ServerOptions

        func run() async throws {
            FileHandle.standardOutput.write(try await server.call("GET", "/api/v1/drills/\(id)/scorecard?format=\(format)"))
        }
    }

    /// `tocsin drill history`
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every drill in order, and each team's time to acknowledge across them.")

        @Option(help: "text, markdown, html or json.") var format = "text"
        @OptionGroup var server: ServerOptions

        func run() async throws {
            FileHandle.standardOutput.write(try await server.call("GET", "/api/v1/drills?format=\(format)"))
        }
    }
}
