import ArgumentParser
import Foundation
import TocsinCore

/// `tocsin regulatory …`: reports owed to the company's top and to regulators.
struct Regulatory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Regulatory reports: the regimes, an incident's standing, drafts, declarations and submissions.",
        discussion: "The regimes and their clocks are set in tocsin.yaml (procedure.regulatory); docs/regulatory.md explains each.",
        subcommands: [RegulatoryRegimes.self, RegulatoryStatus.self, RegulatoryDeclare.self, RegulatoryDraft.self, RegulatorySubmit.self]
    )
}

/// `tocsin regulatory regimes`
struct RegulatoryRegimes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "regimes", abstract: "List the enabled regimes, their reports and clocks.")
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let data = try await server.call("GET", "/api/v1/regulatory/regimes")
        let regimes = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
        for regime in regimes {
            print("\(regime["id"] as? String ?? "?"): \(regime["title"] as? String ?? "") (starts when \(regime["starts"] as? String ?? "?"))")
            for report in regime["reports"] as? [[String: Any]] ?? [] {
                print("  \(report["id"] as? String ?? "?"): \(report["title"] as? String ?? ""), due \(report["clock"] as? String ?? "?"), owed by the \(report["owner"] as? String ?? "?")")
            }
        }
    }
}

/// `tocsin regulatory status ID`
struct RegulatoryStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Where an incident stands under each regime, with the classification helper's suggestion.")
    @Argument(help: "The incident id.") var id: Int64
    @OptionGroup var server: ServerOptions

    func run() async throws {
        print(RegulatoryText.describe(try await server.call("GET", "/api/v1/incidents/\(id)/regulatory")))
    }
}

/// `tocsin regulatory declare ID REGIME --reason TEXT`
struct RegulatoryDeclare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "declare", abstract: "Declare the incident major under a regime (commander, leadership); its clocks start now.")
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "The regime, e.g. dora or nis2.") var regime: String
    @Option(help: "Why it is major (the figures or criteria).") var reason: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let body = try JSONSerialization.data(withJSONObject: ["reason": reason])
        print(RegulatoryText.describe(try await server.call("POST", "/api/v1/incidents/\(id)/regulatory/\(regime)/declare", body: body)))
    }
}

/// `tocsin regulatory draft ID REGIME REPORT`
struct RegulatoryDraft: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft", abstract: "Draft a report from the incident's record, listing the fields still missing (writes nothing).")
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "The regime, e.g. upward, dora or nis2.") var regime: String
    @Argument(help: "The report, e.g. report, initial, intermediate, final, early_warning or notification.") var report: String
    @Option(help: "markdown, html or json.") var format: String = "markdown"
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard DraftFormat(rawValue: format) != nil else { throw ValidationError("Unknown format \"\(format)\"; choose markdown, html or json.") }
    }

    func run() async throws {
        let data = try await server.call("GET", "/api/v1/incidents/\(id)/regulatory/\(regime)/\(report)/draft?format=\(format)")
        if let output { try data.write(to: URL(fileURLWithPath: output)) } else { FileHandle.standardOutput.write(data) }
    }
}

/// `tocsin regulatory submit ID REGIME REPORT --reference REF`
struct RegulatorySubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Record that a report went to the regulator; submitting it again records a correction, its next version.")
    @Argument(help: "The incident id.") var id: Int64
    @Argument(help: "The regime.") var regime: String
    @Argument(help: "The report.") var report: String
    @Option(help: "The regulator's reference for this submission.") var reference: String
    @Option(help: "When it was submitted, if not now (ISO 8601, e.g. 2026-11-21T10:00:00Z).") var at: String?
    @Option(help: "A note kept with the submission.") var note: String?
    @OptionGroup var server: ServerOptions

    func run() async throws {
        var fields: [String: Any] = ["reference": reference]
        fields["submitted_at"] = at
        fields["note"] = note
        let body = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        print(RegulatoryText.describe(try await server.call("POST", "/api/v1/incidents/\(id)/regulatory/\(regime)/\(report)/submissions", body: body)))
    }
}

/// Renders regime standings for people.
enum RegulatoryText {
    static func describe(_ data: Data) -> String {
        let standings: [RegulatoryStanding]
        if let list = try? TocsinJSON.decoder.decode([RegulatoryStanding].self, from: data) {
            standings = list
        } else if let one = try? TocsinJSON.decoder.decode(RegulatoryStanding.self, from: data) {
            standings = [one]
        } else {
            return String(decoding: data, as: UTF8.self)
        }
        return standings.flatMap { standing -> [String] in
            let declared = standing.declared.map { "declared major \(UTCTime.string($0.at)) by \($0.by)" } ?? (standing.starts == "opened" ? "runs on every incident" : "not declared")
            return ["\(standing.regime): \(standing.title): \(declared)", "  suggested: \(standing.suggestion.summary)"]
                + standing.suggestion.unknown.map { "  unknown: \($0)" }
                + standing.reports.map { report in
                    let due = report.dueAt.map { "due \(UTCTime.string($0))" } ?? "clock not started"
                    let versions = report.submissions.map { "v\($0.version) \($0.reference)" }.joined(separator: ", ")
                    return "  \(report.report): \(report.state), \(due)" + (versions.isEmpty ? "" : "; submitted \(versions)")
                        + (report.missing.isEmpty ? "" : "; missing \(report.missing.joined(separator: ", "))")
                }
        }.joined(separator: "\n")
    }
}
