import Foundation
import Testing
import TocsinConfig
import TocsinCore

/// A config a daemon would start with, in a temporary folder, that each test breaks in one place.
/// The folder is removed when the test lets go of it.
final class ConfigFolder {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-config-\(UUID().uuidString)")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for folder in ["Deploy", "Contacts", "Runbooks"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent(folder).path) {
                try FileManager.default.copyItem(at: repository.appendingPathComponent(folder).appendingPathComponent(name),
                                                 to: root.appendingPathComponent(folder).appendingPathComponent(name))
            }
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var configPath: String { root.appendingPathComponent("Deploy/tocsin.yaml").path }

    func replace(_ old: String, with new: String, in file: String) throws {
        let url = root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old), "fixture no longer contains \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    func load() throws -> TocsinConfiguration {
        try TocsinConfiguration.load(path: configPath, environment: [:])
    }
}

@Suite struct ConfigurationTests {
    @Test func shippedConfigLoadsWithEveryEmergencyRoleAndRunbook() throws {
        let folder = try ConfigFolder()
        let config = try folder.load()
        let now = Date()
        for role in Role.emergencyRoles {
            #expect(config.roster.person(holding: role, as: .primary, at: now) != nil)
            #expect(config.roster.person(holding: role, as: .backup, at: now) != nil)
        }
        #expect(config.escalationPolicies.policy(for: .sev1).steps.first?.targets == [.role(.faultAnalyst, .primary)])
        #expect(config.escalationPolicies.policy(for: .sev1).steps[2].everyoneMustAcknowledge)
        #expect(config.escalationPolicies.policy(for: .sev1).repeatCount == 2)
        #expect(config.escalationPolicies.policy(for: .sev2).steps[1].targets.contains(.rotation("executors")))
        #expect(config.escalationPolicies.policy(for: .sev3).ackTimeout == .seconds(3600))
        #expect(config.roster.coverageGaps(from: now, to: now.addingTimeInterval(14 * 86400)).isEmpty)
        #expect(config.roster.people.values.allSatisfy { $0.isReachable })
        #expect(config.roster.roles[Role("database_vendor")] != nil, "custom roles load")
        #expect(config.roster.people["li.na"]?.contactMethods.map(\.flavour) == [.json, .sms])
        #expect(config.roster.people["li.na"]?.contactMethods.last?.delay == .seconds(120))
        #expect(config.paging.rateLimit == RateLimit(messages: 6, per: .seconds(60)))
        #expect(config.runbooks.count >= 6)
        #expect(config.runbooks.contains { $0.id == "power-failure" && $0.preAuthorized })
        #expect(config.severityRules.majorThreshold == .sev2)
        #expect(config.tokens["demo-chen-wei-token"] == .person("chen.wei"))
        #expect(config.database.description.hasSuffix("/var/tocsin.sqlite"))
    }

    struct Breakage: Sendable, CustomTestStringConvertible {
        var file: String
        var old: String
        var new: String
        var expectedFile: String
        var key: String
        var problem: String
        var testDescription: String { "\(expectedFile) \(key)" }
    }

    static let breakages: [Breakage] = [
        Breakage(file: "Deploy/tocsin.yaml", old: "major: SEV2", new: "major: SEV9", expectedFile: "tocsin.yaml", key: "severity.major", problem: "SEV9"),
        Breakage(file: "Deploy/tocsin.yaml", old: "port: 8080", new: "port: eighty", expectedFile: "tocsin.yaml", key: "listen.port", problem: "whole number"),
        Breakage(file: "Deploy/tocsin.yaml", old: "listen:", new: "lisen:", expectedFile: "tocsin.yaml", key: "lisen", problem: "unknown key"),
        Breakage(file: "Deploy/tocsin.yaml", old: "after: 5m", new: "after: soon", expectedFile: "tocsin.yaml", key: "escalation.SEV1.steps[1].after", problem: "duration"),
        Breakage(file: "Deploy/tocsin.yaml", old: "fault_analyst.backup]", new: "fault_analist.backup]", expectedFile: "tocsin.yaml", key: "escalation.SEV1.steps[1].page[0]", problem: "no role \"fault_analist\""),
        Breakage(file: "Deploy/tocsin.yaml", old: "person: chen.wei", new: "person: nobody", expectedFile: "tocsin.yaml", key: "tokens[1].person", problem: "no person \"nobody\""),
        Breakage(file: "Contacts/roles.yaml", old: "backup: priya.raman", new: "backup: priya", expectedFile: "roles.yaml", key: "roles.fault_analyst.backup", problem: "no person \"priya\""),
        Breakage(file: "Contacts/people.yaml", old: "timezone: Europe/Lisbon", new: "timezone: Lisbon", expectedFile: "people.yaml", key: "people[3].timezone", problem: "IANA"),
        Breakage(file: "Contacts/people.yaml", old: "webhook: http://127.0.0.1:9099/zhou.min", new: "webhook: ftp://x", expectedFile: "people.yaml", key: "people[1].contact[0].webhook", problem: "http"),
        Breakage(file: "Deploy/tocsin.yaml", old: "rotation:executors]", new: "rotation:executers]", expectedFile: "tocsin.yaml", key: "escalation.default.steps[1].page[1]", problem: "no rotation \"executers\""),
        Breakage(file: "Deploy/tocsin.yaml", old: "everyone_must_ack: true", new: "everyone_must_ack: maybe", expectedFile: "tocsin.yaml", key: "escalation.SEV1.steps[2].everyone_must_ack", problem: "true or false"),
        Breakage(file: "Deploy/tocsin.yaml", old: "  SEV1:\n", new: "  SEV7:\n", expectedFile: "tocsin.yaml", key: "escalation.SEV7", problem: "unknown key"),
        Breakage(file: "Contacts/roles.yaml", old: "primary: rotation:executors", new: "primary: rotation:nobody", expectedFile: "roles.yaml", key: "roles.technical_executors.primary", problem: "no rotation \"nobody\""),
        Breakage(file: "Contacts/rotations.yaml", old: "members: [zhang.lei, liu.yang]", new: "members: [zhang.lei, liu.yng]", expectedFile: "rotations.yaml", key: "rotations.executors.members[1]", problem: "no person \"liu.yng\""),
        Breakage(file: "Contacts/rotations.yaml", old: "shift: daily", new: "shift: fortnightly", expectedFile: "rotations.yaml", key: "rotations.executors.shift", problem: "hourly, daily or weekly"),
        Breakage(file: "Contacts/rotations.yaml", old: "timezone: Asia/Shanghai", new: "timezone: Shanghai", expectedFile: "rotations.yaml", key: "rotations.executors.timezone", problem: "IANA"),
        Breakage(file: "Contacts/rotations.yaml", old: "handoff: \"09:00\"", new: "handoff: \"9am\"", expectedFile: "rotations.yaml", key: "rotations.executors.handoff", problem: "09:00"),
        Breakage(file: "Contacts/rotations.yaml", old: "replaces: zhang.lei", new: "replaces: li.na", expectedFile: "rotations.yaml", key: "rotations.executors.overrides[0].replaces", problem: "not a member of rotation executors"),
        Breakage(file: "Contacts/stand_ins.yaml", old: "stand_in: liu.yang", new: "stand_in: liu", expectedFile: "stand_ins.yaml", key: "stand_ins[0].stand_in", problem: "no person \"liu\""),
        Breakage(file: "Contacts/stand_ins.yaml", old: "end: 2026-12-27T09:00:00+00:00", new: "end: 2026-12-20T09:00:00+00:00", expectedFile: "stand_ins.yaml", key: "stand_ins[0].end", problem: "ends before it starts"),
        Breakage(file: "Contacts/people.yaml", old: "text={message}", new: "text=", expectedFile: "people.yaml", key: "people[0].contact[1].sms", problem: "{message}"),
        Breakage(file: "Contacts/people.yaml", old: "delay: 2m", new: "delay: later", expectedFile: "people.yaml", key: "people[0].contact[1].delay", problem: "duration"),
        Breakage(file: "Contacts/people.yaml", old: "rate_limit: {messages: 3, per: 1m}", new: "rate_limit: {messages: 0, per: 1m}", expectedFile: "people.yaml", key: "people[3].contact[1].rate_limit.messages", problem: "at least 1"),
        Breakage(file: "Contacts/people.yaml", old: "      - slack: http://127.0.0.1:9099/slack/maria.santos", new: "      - slack: http://127.0.0.1:9099/slack/maria.santos\n        webhook: http://x", expectedFile: "people.yaml", key: "people[3].contact[1]", problem: "only one of"),
        Breakage(file: "Runbooks/power-failure.md", old: "pre_authorized: true", new: "pre_authorised: true", expectedFile: "power-failure.md", key: "pre_authorised", problem: "unknown key"),
    ]

    @Test(arguments: breakages)
    func brokenConfigNamesTheFileTheKeyAndTheProblem(_ breakage: Breakage) throws {
        let folder = try ConfigFolder()
        try folder.replace(breakage.old, with: breakage.new, in: breakage.file)
        let error = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(error.file.hasSuffix(breakage.expectedFile))
        #expect(error.key == breakage.key)
        #expect(error.problem.contains(breakage.problem), "problem was: \(error.problem)")
    }

    @Test func everyProblemIsNamedInOneReading() throws {
        let folder = try ConfigFolder()
        try folder.replace("secret: demo-ack-link-secret-change-me", with: "secret: short", in: "Deploy/tocsin.yaml")
        try folder.replace("token: demo-monitoring-token", with: "token: tiny", in: "Deploy/tocsin.yaml")
        try folder.replace("major: SEV2", with: "major: SEV9", in: "Deploy/tocsin.yaml")
        let errors = try #require(throws: ConfigErrors.self) { try folder.load() }
        #expect(errors.errors.map(\.key) == ["severity.major", "ack_links.secret", "tokens[0]"], "\(errors)")
        #expect(errors.description.split(separator: "\n").count == 3)
        #expect(errors.errors.map(\.problem).contains { $0.contains("use at least 16 characters") })
        #expect(errors.errors.map(\.problem).contains { $0.contains("use at least 12 characters") })
    }

    @Test func missingFileAndMissingSecretAreNamed() throws {
        let missing = try #require(throws: ConfigError.self) { try TocsinConfiguration.load(path: "/nonexistent/tocsin.yaml") }
        #expect(missing.description == "/nonexistent/tocsin.yaml: cannot read the file (missing, unreadable or not UTF-8)")

        let folder = try ConfigFolder()
        try folder.replace("  secret: demo-ack-link-secret-change-me\n", with: "", in: "Deploy/tocsin.yaml")
        let secret = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(secret.key == "ack_links.secret_env")
        #expect(secret.problem.contains("TOCSIN_ACK_SECRET is not set"))
        let loaded = try TocsinConfiguration.load(path: folder.configPath, environment: ["TOCSIN_ACK_SECRET": "from-the-environment-123"])
        #expect(loaded.ackLinkSecret == "from-the-environment-123")
    }

    @Test func durationsReadAsPeopleWriteThem() {
        #expect(DurationText.parse("90s") == .seconds(90))
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("0s") == .zero)
        for bad in ["", "5", "m", "5 minutes", "-5m", "5x"] {
            #expect(DurationText.parse(bad) == nil, "\(bad) should be refused")
        }
    }
}

@Suite struct FallbackSettingTests {
    @Test func fallbackContactsAreReadAndAnEmptyListIsRefused() throws {
        let folder = try ConfigFolder()
        try folder.replace("# fallback:\n#   contacts:\n#     - sms: https://sms.example.internal/send?to=%2B8613800000009&text={message}\n#   repeat: 5m\n#   late_after: 30s",
                           with: "fallback:\n  contacts:\n    - sms: https://sms.example.internal/send?to=%2B8613800000009&text={message}\n    - webhook: http://127.0.0.1:9099/fallback\n  repeat: 2m\n  late_after: 10s",
                           in: "Deploy/tocsin.yaml")
        let configuration = try folder.load()
        #expect(configuration.fallbackContacts.map(\.flavour) == [.sms, .json])
        #expect(configuration.fallbackRepeat == .seconds(120))
        #expect(configuration.overdueAfter == .seconds(10))

        try folder.replace("    - sms: https://sms.example.internal/send?to=%2B8613800000009&text={message}\n    - webhook: http://127.0.0.1:9099/fallback\n",
                           with: "", in: "Deploy/tocsin.yaml")
        #expect { try folder.load() } throws: { "\($0)".contains("fallback") }
    }

    @Test func theShippedConfigHasNoFallbackUntilOneIsGiven() throws {
        let configuration = try ConfigFolder().load()
        #expect(configuration.fallbackContacts.isEmpty)
        #expect(configuration.overdueAfter == .seconds(30))
    }
}
