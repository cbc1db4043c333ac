import Foundation
import Testing
import TocsinConfig
import TocsinCore

/// The `drills:` section of tocsin.yaml and drill scripts, read as operators write them.
@Suite struct DrillConfigTests {
    @Test func theShippedConfigSendsDrillsTradeSwitchCallsToTheListenerAndJudgesByThePlansTargets() throws {
        let rules = try ConfigFolder().load().responseRules
        #expect(rules.drills.tradeSwitchURL == "http://127.0.0.1:9099/drill/trade-switch")
        #expect(rules.drills.targets.acknowledge[.commander] == .seconds(300))
        #expect(rules.drills.targets.rootCause == .seconds(3600))
        #expect(rules.drills.targets.cadences == [.bulletin: .seconds(1800), .business: .seconds(3600)])
    }

    @Test func targetsAreSetPerRoleAndCadence() throws {
        let folder = try ConfigFolder()
        try folder.replace("  trade_switch_url: http://127.0.0.1:9099/drill/trade-switch\n", with: """
              targets:
                acknowledge: {commander: 3m, executor: 10m}
                root_cause: 45m
                bulletin: 20m

            """, in: "Deploy/tocsin.yaml")
        let drills = try folder.load().drills
        #expect(drills.tradeSwitchURL == nil)
        #expect(drills.targets.acknowledge[.commander] == .seconds(180) && drills.targets.acknowledge[.executor] == .seconds(600))
        #expect(drills.targets.acknowledge[.coordinator] == .seconds(900), "a role not named keeps the plan's target")
        #expect(drills.targets.rootCause == .seconds(2700) && drills.targets.cadences[.bulletin] == .seconds(1200) && drills.targets.cadences[.business] == .seconds(3600))
    }

    @Test(arguments: [
        ("trade_switch_url: http://127.0.0.1:9099/drill/trade-switch", "trade_switch_url: ftp://x", "drills.trade_switch_url", "http"),
        ("trade_switch_url: http://127.0.0.1:9099/drill/trade-switch", "trade_switch: x", "drills.trade_switch", "unknown key"),
        ("trade_switch_url: http://127.0.0.1:9099/drill/trade-switch", "targets: {acknowledge: {captain: 5m}}", "drills.targets.acknowledge.captain", "commander"),
        ("trade_switch_url: http://127.0.0.1:9099/drill/trade-switch", "targets: {root_cause: soon}", "drills.targets.root_cause", "duration"),
    ])
    func aBrokenDrillsSectionNamesItsKey(_ old: String, _ new: String, _ key: String, _ problem: String) throws {
        let folder = try ConfigFolder()
        try folder.replace(old, with: new, in: "Deploy/tocsin.yaml")
        let error = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(error.key == key && error.problem.contains(problem), "\(error)")
    }

    @Test func theSampleScriptReadsInOrderWithItsPeopleChecked() throws {
        let folder = try ConfigFolder()
        let roster = try folder.load().roster
        let text = try String(contentsOf: folder.root.appendingPathComponent("Deploy/drills/ledger-failover.yaml"), encoding: .utf8)
        let script = try DrillScriptText.parse(text, roster: roster)
        #expect(script.name == "Ledger failover under pressure")
        #expect(script.injections.map(\.kind) == [.alertFires, .tradeSwitchFails, .operationFails, .vendorSilent, .alertResolves])
        #expect(script.injections.map(\.after) == [240, 600, 1500, 1800, 3000])
        #expect(script.injections[0].severity == .sev1 && script.injections[3].person == "vendor.dba")
    }

    @Test(arguments: [
        ("injections:\n  - {after: 1m, inject: meteor}", "injections[0].inject", "alert_fires"),
        ("injections:\n  - {after: 1m, inject: vendor_silent, person: nobody}", "injections[0].person", "no person \"nobody\""),
        ("injections:\n  - {after: 1m, inject: trade_switch_fails, service: x}", "injections[0].service", "unknown key"),
        ("injections:\n  - {inject: vendor_silent}", "injections[0].after", "missing"),
        ("injections:\n  - {after: 30d, inject: vendor_silent}", "injections[0].after", "within a week"),
        ("injections:\n  - {after: 1m, inject: alert_fires, severity: SEV0}", "injections[0].severity", "SEV0"),
        ("steps: []", "steps", "unknown key"),
        ("injections: [", "", "not valid YAML"),
    ])
    func aBrokenScriptNamesItsKey(_ text: String, _ key: String, _ problem: String) throws {
        let roster = try ConfigFolder().load().roster
        let error = try #require(throws: ConfigError.self) { try DrillScriptText.parse(text, roster: roster) }
        #expect(error.key == key && error.problem.contains(problem), "\(error)")
    }
}
