import ArgumentParser
import Foundation
import TocsinConfig
import TocsinCore

/// `tocsin check`
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the config, Contacts/ and Runbooks/ without starting the daemon.",
        discussion: """
            Exits 1 and names the file, the key and the problem when something is wrong (an unknown \
            person, role or rotation is named this way). Exits 2 when the config is valid but the \
            roster has coverage gaps in the next --days days or people without a working contact method. \
            With a token it asks tocsind for the roster changes made since (`tocsin roster`) and counts them.
            """
    )

    @OptionGroup var file: ConfigFile

    @OptionGroup var server: ServerOptions

    @Option(help: "How many days ahead to look for coverage gaps.")
    var days = 14

    func run() async throws {
        let settings = try file.load()
        let now = Date()
        let live = await LiveRoster.roster(settings.roster, server: server)
        let roster = live.roster
        print("\(file.config): OK")
        print("  listen       \(settings.tls == nil ? "http" : "https")://\(settings.host):\(settings.port)  database \(settings.database)")
        print("  severity     incidents open at \(settings.severityRules.majorThreshold) or worse")
        print("\n" + OnCallTable(roster: roster, at: now, roles: roster.roles.keys.sorted()).text)
        for (name, policy) in settings.escalationPolicies.named {
            let steps = policy.steps.enumerated().map { index, step in
                ["\(index)", "+\(DurationWords.text(policy.offset(ofStep: index)))", step.targets.map(\.description).joined(separator: ", "),
                 step.everyoneMustAcknowledge ? "everyone" : "anyone"]
            }
            let timeout = policy.ackTimeout.map(DurationWords.text) ?? "none"
            print("\nescalation \(name): repeat \(policy.repeatCount) time(s) after \(DurationWords.text(policy.repeatAfter)), ack timeout \(timeout)")
            print(TextTable(header: ["STEP", "AT", "PAGES", "ACK BY"], rows: steps).text)
        }
        if !roster.rotations.isEmpty {
            let rows = roster.rotations.values.sorted { $0.id < $1.id }.map { rotation in
                [rotation.id, "\(rotation.shiftLength)", rotation.handoff.description, rotation.timeZone.identifier,
                 rotation.members.joined(separator: ", "), "\(rotation.overrides.count)"]
            }
            print("\n" + TextTable(header: ["ROTATION", "SHIFT", "HANDOFF", "ZONE", "MEMBERS", "OVERRIDES"], rows: rows).text)
        }
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
        print("\n\(roster.people.count) people, \(roster.rotations.count) rotations, \(roster.standIns.count) stand-ins, \(settings.tokens.count) tokens.")
        print(live.note)

        let end = now.addingTimeInterval(TimeInterval(days) * 86400)
        let gaps = roster.coverageGaps(from: now, to: end)
        let unreachable = roster.people.values.filter { !$0.isReachable }.map(\.id).sorted()
        if gaps.isEmpty {
            print("Coverage: every role has a reachable primary and backup for the next \(days) days.")
        } else {
            print("\nCoverage gaps in the next \(days) days:")
            let rows = gaps.map { ["\($0.role).\($0.holder.rawValue)", UTCTime.string($0.start), UTCTime.string($0.end), $0.reason] }
            print(TextTable(header: ["ROLE", "FROM (UTC)", "UNTIL (UTC)", "WHY"], rows: rows).text)
        }
        if !unreachable.isEmpty {
            print("People without a working contact method (passed over when paged): \(unreachable.joined(separator: ", "))")
        }
        if !gaps.isEmpty || !unreachable.isEmpty { throw ExitCode(2) }
    }
}

/// Durations the way a person reads them: 30s, 5m, 1h30m.
enum DurationWords {
    static func text(_ duration: Duration) -> String {
        var seconds = Int(duration.seconds.rounded())
        if seconds == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return text
    }
}
