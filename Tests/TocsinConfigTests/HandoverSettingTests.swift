import Foundation
import Testing
import TocsinConfig
import TocsinCore

@Suite struct HandoverSettingTests {
    @Test func theShippedConfigGivesAQuarterOfAnHourToAcknowledge() throws {
        let rules = try ConfigFolder().load().responseRules.handover
        #expect(rules.acknowledgeWithin == .seconds(15 * 60) && rules.writeAhead == .seconds(12 * 3600))
    }

    @Test func withoutTheSectionTheDefaultsHold() throws {
        let folder = try ConfigFolder()
        try folder.replace("handover:\n  acknowledge_within: 15m\n  write_ahead: 12h\n", with: "", in: "Deploy/tocsin.yaml")
        #expect(try folder.load().responseRules.handover == HandoverRules())
    }

    @Test(arguments: [
        ("acknowledge_within: 15m", "acknowledge_within: 30s", "handover.acknowledge_within", "at least 1m"),
        ("acknowledge_within: 15m", "acknowledge_within: soon", "handover.acknowledge_within", "duration"),
        ("write_ahead: 12h", "write_ahead: 30d", "handover.write_ahead", "between 1m and 7d"),
        ("write_ahead: 12h", "writ_ahead: 12h", "handover.writ_ahead", "unknown key"),
    ])
    func aBrokenSettingIsNamed(_ old: String, _ new: String, _ key: String, _ problem: String) throws {
        let folder = try ConfigFolder()
        try folder.replace(old, with: new, in: "Deploy/tocsin.yaml")
        let error = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(error.key == key && error.problem.contains(problem), "\(error)")
    }
}
