import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// Retention: what closed or resolved longer ago than `archive_after` goes to a file that
/// verifies on its own and leaves the database, which keeps where the chain ended; what is
/// younger or still open stays, and the record left behind still verifies.
@Suite struct RetentionTests {
    static let day: TimeInterval = 86_400

    func archiveFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-archive-\(UUID().uuidString)")
    }

    func daemon(_ backend: StoreBackend, archive: URL) async throws -> TestDaemon {
        try await TestDaemon(backend: backend) { rules, _ in
            rules.retention = Retention(archiveAfter: .seconds(30 * 86_400), every: .seconds(3600), directory: archive.path)
        }
    }

    /// Opens an incident from alert `key`, carries it to `closed` and resolves its alert; returns its id.
    func closedIncident(_ daemon: TestDaemon, key: String) async throws -> Int64 {
        let id = try await openIncident(daemon, key: key)
        func act(_ action: String, _ fields: [String: Any] = [:], as token: String = "token-chen") async throws {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
            let response = await daemon.request("POST", "/api/v1/incidents/\(id)/\(action)", token: token, body: body)
            #expect(response.status == 200, "\(action): \(response.json["detail"] ?? response.text)")
            await daemon.runDue()
        }
        #expect(await daemon.request("POST", "/api/v1/incidents/\(id)/ack", token: "token-chen").status == 200)
        try await act("advance", ["to": "assessing"])
        try await act("assess", ["fault_started_at": UTCTime.string(daemon.clock.now().addingTimeInterval(-60)), "scope": "card payments",
                                 "spread": "stable", "affected_services": ["payments-core"], "all_business_affected": false])
        try await act("plan", ["root_cause": "a full disk", "steps": "free space"])
        try await act("approve-plan", as: "token-li")
        try await act("advance", ["to": "recovering"])
        try await act("op", ["action": "removed old logs", "result": "disk at 40%"], as: "token-zhang")
        try await act("service-restored")
        try await act("advance", ["to": "reconciling"])
        try await act("reconcile", ["affected_transactions": 3, "amount": "12.50", "currency": "CNY", "channels": ["UnionPay"], "banks": ["ICBC"],
                                    "discrepancies_found": 0, "discrepancies_resolved": 0], as: "token-zhang")
        try await act("advance", ["to": "closed", "summary": "Disk filled; cleaned.", "follow_ups": ["Alert on disk space"]])
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: key, status: "resolved", startsAt: daemon.clock.now())).status == 202)
        await daemon.runDue()
        return id
    }

    func openIncident(_ daemon: TestDaemon, key: String) async throws -> Int64 {
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: key, startsAt: daemon.clock.now())).status == 202)
        await daemon.runDue()
        return try #require(try daemon.engine.store.incidents().map(\.id).max())
    }

    func loneAlert(_ daemon: TestDaemon, key: String) async {
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: key, urgency: "low", startsAt: daemon.clock.now())).status == 202)
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: key, status: "resolved", urgency: "low", startsAt: daemon.clock.now())).status == 202)
    }

    func alertKeys(_ daemon: TestDaemon) async throws -> Set<String> {
        let alerts = try #require(try JSONSerialization.jsonObject(with: await daemon.request("GET", "/api/v1/alerts", token: "token-chen").body) as? [[String: Any]])
        return Set(alerts.compactMap { $0["dedup_key"] as? String })
    }

    @Test(arguments: StoreBackend.all) func anIncidentClosedLongerAgoThanTheAgeIsArchivedToAFileThatVerifiesAndLeavesTheAPI(_ backend: StoreBackend) async throws {
        let archive = archiveFolder()
        defer { try? FileManager.default.removeItem(at: archive) }
        let daemon = try await daemon(backend, archive: archive)
        defer { daemon.stop() }

        let old = try await closedIncident(daemon, key: "ledger-disk")
        await loneAlert(daemon, key: "old-blip")
        await daemon.advance(by: 20 * Self.day)
        let young = try await closedIncident(daemon, key: "gateway-tls")
        await loneAlert(daemon, key: "young-blip")
        let open = try await openIncident(daemon, key: "settlement-lag")
        let before = try daemon.engine.store.timeline(old)

        // 35 days after the first closing, 15 after the second: the scheduled pass runs.
        await daemon.advance(by: 15 * Self.day)

        #expect(await daemon.request("GET", "/api/v1/incidents/\(old)", token: "token-chen").status == 404)
        #expect(await daemon.request("GET", "/api/v1/incidents/\(young)", token: "token-chen").status == 200)
        #expect(await daemon.request("GET", "/api/v1/incidents/\(open)", token: "token-chen").status == 200)
        let keys = try await alertKeys(daemon)
        #expect(!keys.contains("ledger-disk") && !keys.contains("old-blip"), "\(keys.sorted())")
        #expect(keys.isSuperset(of: ["gateway-tls", "young-blip", "settlement-lag"]), "\(keys.sorted())")

        let file = archive.appendingPathComponent("incident-\(old).json")
        let export = try TocsinJSON.decoder.decode(IncidentExport.self, from: try Data(contentsOf: file))
        #expect(export.timelineEvents.chainProblem() == nil)
        #expect(Array(export.timelineEvents.prefix(before.count)) == before, "the file holds the whole timeline as it was")
        #expect(export.events.last?.kind == .exported && export.events.last?.detail["format"] == "archive" && export.exportedBy == "tocsin")
        let anchors = try daemon.engine.store.archivedIncidents()
        #expect(anchors.map(\.incidentID) == [old])
        #expect(anchors.first.map { $0.problem(with: export) } == .some(nil), "the file ends where the database says the chain ended")
        let listed = try #require(try JSONSerialization.jsonObject(with: await daemon.request("GET", "/api/v1/archive", token: "token-grace").body) as? [[String: Any]])
        #expect(listed.first?["last_hash"] as? String == export.events.last?.hash)

        let alertFiles = try FileManager.default.contentsOfDirectory(atPath: archive.path).filter { $0.hasPrefix("alerts-") }
        #expect(alertFiles.count == 1)
        let alerts = try TocsinJSON.decoder.decode(AlertArchive.self, from: try Data(contentsOf: archive.appendingPathComponent(alertFiles[0])))
        #expect(alerts.alerts.map(\.report.dedupKey) == ["old-blip"] && alerts.alerts.first?.endsAt != nil)

        let (broken, checked) = try daemon.engine.store.verifyTimelines()
        #expect(broken.isEmpty && checked > 0, "what remains still verifies")

        // On demand: nothing more is due, until the second incident is old enough too.
        #expect(await daemon.request("POST", "/api/v1/archive", token: "token-chen").status == 403)
        let none = await daemon.request("POST", "/api/v1/archive", token: "token-li")
        #expect(none.status == 200 && (none.json["incidents"] as? [Int])?.isEmpty == true, "\(none.text)")
        daemon.clock.advance(by: 16 * Self.day)
        let second = await daemon.request("POST", "/api/v1/archive", token: "token-li")
        #expect(second.status == 200 && second.json["incidents"] as? [Int] == [Int(young)] && second.json["alerts"] as? Int == 1, "\(second.text)")
        #expect(await daemon.request("GET", "/api/v1/incidents/\(open)", token: "token-chen").status == 200)
        #expect(try daemon.engine.store.verifyTimelines().broken.isEmpty)
        #expect(try daemon.engine.store.archivedIncidents().map(\.incidentID) == [old, young])
    }

    @Test func tocsinVerifyChecksAnArchivedFileOnItsOwnAndAgainstTheDatabase() async throws {
        let archive = archiveFolder()
        defer { try? FileManager.default.removeItem(at: archive) }
        let daemon = try await daemon(.sqlite, archive: archive)
        defer { daemon.stop() }
        let old = try await closedIncident(daemon, key: "ledger-disk")
        _ = try await openIncident(daemon, key: "settlement-lag")
        daemon.clock.advance(by: 31 * Self.day)
        #expect(await daemon.request("POST", "/api/v1/archive", token: "token-grace").json["incidents"] as? [Int] == [Int(old)])

        let file = archive.appendingPathComponent("incident-\(old).json").path
        let alone = try await TocsinBuild.cli(["verify", file])
        #expect(alone.status == 0 && alone.output.contains("hash chain intact"), "\(alone.output)")
        let anchored = try await TocsinBuild.cli(["verify", file, "--database", daemon.databasePath])
        #expect(anchored.status == 0 && anchored.output.contains("ending where the database archived it"), "\(anchored.output)")
        let whole = try await TocsinBuild.cli(["verify", "--database", daemon.databasePath])
        #expect(whole.status == 0 && whole.output.contains("1 archived incidents anchored"), "\(whole.output)")

        // An archive cut short after its last event was dropped still chains, but no longer ends at the anchor.
        var export = try TocsinJSON.decoder.decode(IncidentExport.self, from: try Data(contentsOf: URL(fileURLWithPath: file)))
        export.events.removeLast()
        let shortened = archive.appendingPathComponent("shortened.json").path
        try export.rendered(as: .json).write(to: URL(fileURLWithPath: shortened))
        #expect(try await TocsinBuild.cli(["verify", shortened]).status == 0)
        let caught = try await TocsinBuild.cli(["verify", shortened, "--database", daemon.databasePath])
        #expect(caught.status != 0 && caught.output.contains("but the database archived"), "\(caught.output)")
    }

    @Test func withoutRetentionNothingIsArchived() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let refused = await daemon.request("POST", "/api/v1/archive", token: "token-li")
        #expect(refused.status == 409 && refused.headers["content-type"]?.hasPrefix("application/problem+json") == true, "\(refused.text)")
        #expect(try daemon.snapshot() == before)
    }
}
