import ArgumentParser
import Foundation
import TocsinConfig
import TocsinCore

/// `tocsin check`
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the config, Contacts/ and Runbooks/ without starting the daemon.",
        discussion: "Exits non-zero and names the file, the key and the problem when something is wrong."
    )

    @Option(name: .shortAndLong, help: "The config file.")
    var config = "Deploy/tocsin.yaml"

    func run() throws {
        let settings: TocsinConfiguration
        do {
            settings = try TocsinConfiguration.load(path: config)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        print("\(config): OK")
        print("  listen       \(settings.tls == nil ? "http" : "https")://\(settings.host):\(settings.port)  database \(settings.databasePath)")
        print("  severity     incidents open at \(settings.severityRules.majorThreshold) or worse")
        let roles = settings.roster.roles.keys.sorted().map { role in
            let holders = settings.roster.roles[role]!
            return [role.rawValue, holders.primary, holders.backup]
        }
        print("\n" + TextTable(header: ["ROLE", "PRIMARY", "BACKUP"], rows: roles).text)
        let steps = settings.escalationPolicy.steps.enumerated().map { index, step in
            ["\(index)", "+\(Int(settings.escalationPolicy.offset(ofStep: index).seconds))s", step.targets.map(\.description).joined(separator: ", ")]
        }
        print("\n" + TextTable(header: ["STEP", "AT", "PAGES"], rows: steps).text)
        let runbooks = settings.runbooks.map { runbook in
            [runbook.id, runbook.preAuthorized ? "yes" : "no", runbook.matchers.keys.sorted().map { "\($0)=\(runbook.matchers[$0]!)" }.joined(separator: ",")]
        }
        print("\n" + TextTable(header: ["RUNBOOK", "PRE-AUTHORIZED", "MATCHES"], rows: runbooks).text)
        if !settings.integrations.isEmpty {
            let integrations = settings.integrations.map { [$0.name, $0.kind.rawValue, $0.kind.path, $0.signature == nil ? "" : "signed"] }
            print("\n" + TextTable(header: ["INTEGRATION", "KIND", "SENDS TO", ""], rows: integrations).text)
        }
        if !settings.heartbeats.isEmpty {
            let heartbeats = settings.heartbeats.map { ["/api/v1/heartbeats/\($0.name)", "\(Int($0.interval.seconds))s", $0.service] }
            print("\n" + TextTable(header: ["HEARTBEAT", "EVERY", "SERVICE"], rows: heartbeats).text)
        }
        print("\n\(settings.roster.people.count) people, \(settings.tokens.count) tokens.")
    }
}
