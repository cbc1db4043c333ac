import Foundation
import Testing
import TocsinConfig
import TocsinCore

@Suite struct RetentionSettingTests {
    @Test func theShippedConfigArchivesAfterNinetyDaysIntoVarArchive() throws {
        let folder = try ConfigFolder()
        let configuration = try folder.load()
        let retention = try #require(configuration.responseRules.retention)
        #expect(retention.archiveAfter == .seconds(90 * 86_400) && retention.every == .seconds(3600))
        #expect(retention.directory == folder.root.appendingPathComponent("var/archive").standardizedFileURL.path)
        #expect(configuration.drainTimeout == .seconds(10))
    }

    @Test func withoutTheSectionNothingIsArchived() throws {
        let folder = try ConfigFolder()
        try folder.replace("retention:\n  archive_after: 90d\n  every: 1h\n  directory: ../var/archive\n", with: "", in: "Deploy/tocsin.yaml")
        #expect(try folder.load().responseRules.retention == nil)
    }

    @Test(arguments: [
        ("archive_after: 90d", "archive_after: 10m", "retention.archive_after", "at least 1h"),
        ("archive_after: 90d", "archive_after: forever", "retention.archive_after", "duration"),
        ("  every: 1h\n", "  every: 5s\n", "retention.every", "at least 1m"),
        ("  every: 1h\n", "  evry: 1h\n", "retention.evry", "unknown key"),
        ("drain_timeout: 10s", "drain_timeout: later", "delivery.drain_timeout", "duration"),
    ])
    func aBrokenSettingIsNamed(_ old: String, _ new: String, _ key: String, _ problem: String) throws {
        let folder = try ConfigFolder()
        try folder.replace(old, with: new, in: "Deploy/tocsin.yaml")
        let error = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(error.key == key && error.problem.contains(problem), "\(error)")
    }
}
