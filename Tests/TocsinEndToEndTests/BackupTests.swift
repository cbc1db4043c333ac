import Foundation
import Testing
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// `tocsin backup` and `tocsin restore` with the real binaries: a copy taken while tocsind
/// serves holds the record as of that moment, and is put back only whole, intact, and with no
/// tocsind on the database.
@Suite struct BackupTests {
    @Test func aBackupTakenWhileTocsindServesRestoresTheRecordAsOfThatMoment() async throws {
        let pages = try await LoopbackListener.start()
        defer { Task { await pages.stop() } }
        let port = try LoopbackPort.free()
        let folder = try DaemonFolder(port: port, listenerPort: pages.port)
        defer { folder.remove() }
        var daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        func post(_ key: String, urgency: String = "low") async -> Int? {
            await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token",
                                 body: TestDaemon.alertJSON(key: key, urgency: urgency, startsAt: Date())).status
        }
        for index in 0..<20 { #expect(await post("before-\(index)") == 202) }
        #expect(await post("outage-1", urgency: "high") == 202)
        #expect(await post("outage-2", urgency: "high") == 202)

        let database = folder.root.appendingPathComponent("var/tocsin.sqlite").path
        let backupFile = folder.root.appendingPathComponent("backup.sqlite").path
        let backup = try await TocsinBuild.cli(["backup", backupFile, "--database", database])
        #expect(backup.status == 0 && backup.output.contains("2 incidents, 22 alerts"), "\(backup.output)")
        #expect(try await TocsinBuild.cli(["backup", backupFile, "--database", database]).output.contains("exists already"), "never overwritten")
        for index in 0..<5 { #expect(await post("after-\(index)") == 202) }

        let refused = try await TocsinBuild.cli(["restore", backupFile, "--database", database])
        #expect(refused.status != 0 && refused.output.contains("another tocsind is using this database"), "\(refused.output)")

        await daemon.stop()
        let damaged = folder.root.appendingPathComponent("damaged.sqlite").path
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: damaged))
        let notOurs = try await TocsinBuild.cli(["restore", damaged, "--database", database])
        #expect(notOurs.status != 0 && notOurs.output.contains("is not a Tocsin database"), "\(notOurs.output)")

        let restored = try await TocsinBuild.cli(["restore", backupFile, "--database", database])
        #expect(restored.status == 0 && restored.output.contains("2 incidents, 22 alerts"), "\(restored.output)")
        let verified = try await TocsinBuild.cli(["verify", "--database", database])
        #expect(verified.status == 0 && verified.output.contains("every hash chain intact"), "\(verified.output)")

        daemon = try TocsindDaemon(folder)
        try await daemon.waitUntilServing()
        let alerts = try #require(await daemon.json("/api/v1/alerts", token: "demo-chen-wei-token") as? [[String: Any]])
        let keys = Set(alerts.compactMap { ($0["report"] as? [String: Any])?["dedup_key"] as? String ?? $0["dedup_key"] as? String })
        #expect(keys.count == 22 && keys.contains("outage-2") && !keys.contains("after-0"), "\(keys.sorted())")
    }
}
