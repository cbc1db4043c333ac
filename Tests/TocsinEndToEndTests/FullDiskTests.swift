import Foundation
import GRDB
import Testing
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinPager
import TocsinTestSupport

/// The SQLite file's disk filling up under a bounded load (simulated with SQLite's own page
/// ceiling): senders hear 503 in Tocsin's words and retry; what was accepted stays.
@Suite struct FullDiskTests {
    /// A connection of the test's own, which waits for the daemon's checkpoint thread to let go
    /// of the file rather than fail at once.
    static var waitingForLocks: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// Restarts the daemon with its SQLite file allowed `pages` more pages than it has. With
    /// `ballast`, a table of that many kilobytes is put in the file first: other files on the
    /// disk, which an operator may delete to free space (`dropBallast`).
    static func restart(_ daemon: TestDaemon, withRoomFor pages: Int, ballast: Int = 0) async throws {
        await daemon.stopServer()
        if ballast > 0 {
            try await DatabaseQueue(path: daemon.databasePath, configuration: waitingForLocks).write { db in
                try db.execute(sql: "CREATE TABLE ballast (data BLOB)")
                for _ in 0..<ballast { try db.execute(sql: "INSERT INTO ballast VALUES (zeroblob(1000))") }
            }
        }
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = .timeout(5)
        let used = try await DatabasePool(path: daemon.databasePath, configuration: readOnly).read { try Int.fetchOne($0, sql: "PRAGMA page_count") } ?? 0
        daemon.sqliteMaxPages = used + pages
        try await daemon.startServer()
    }

    @Test func aFullDiskGets503WithRetryAfterAndLosesNothingAccepted() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await Self.restart(daemon, withRoomFor: 40)

        var accepted: [String] = []
        var refusal: HTTPTransferResponse?
        for index in 0..<3_000 where refusal == nil {
            let key = "disk-\(index)"
            let response = await daemon.postAlert(TestDaemon.alertJSON(key: key, service: "reporting", urgency: "low", startsAt: daemon.clock.now()))
            if response.status == 202 { accepted.append(key) } else { refusal = response }
        }
        let refused = try #require(refusal, "the page ceiling was reached within 3,000 alerts")
        #expect(refused.status == 503)
        #expect(refused.headers["retry-after"] == "5")
        #expect(refused.headers["content-type"]?.hasPrefix("application/problem+json") == true)
        let detail = refused.json["detail"] as? String ?? ""
        #expect(detail.contains("the database's disk is full") && !detail.contains("SQLite") && !detail.contains("COMMIT"), "\(detail)")
        #expect(accepted.count > 10)

        // Still full: refused again, and nothing refused is stored.
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: "while-full", service: "reporting", urgency: "low", startsAt: daemon.clock.now())).status == 503)
        let stored = Set(try daemon.engine.store.alerts(status: nil, limit: 10_000).map(\.report.dedupKey))
        #expect(stored == Set(accepted), "every 202 is stored, every 503 is not")
    }
}

/// `/readyz`: ready while the daemon can work, and why not when it cannot.
@Suite struct ReadinessTests {
    @Test(arguments: StoreBackend.all) func readyzNamesAFailedWriteAndOverdueWork(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let ready = await daemon.request("GET", "/readyz", token: nil)
        #expect(ready.status == 200 && ready.json["status"] as? String == "ready" && (ready.json["reasons"] as? [String])?.isEmpty == true)

        // An incident whose backup step is due in 300 s; the clock moves past it with no engine pass.
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        daemon.clock.advance(by: 360)
        let late = await daemon.request("GET", "/readyz", token: nil)
        #expect(late.status == 503)
        #expect((late.json["reasons"] as? [String])?.contains { $0.contains("has not fired (60 s late)") } == true, "\(late.text)")
        let server = daemon.baseURL
        let said = try await TocsinBuild.cli(["status", "--server", server])
        #expect(said.status == 1 && said.output.contains("NOT READY") && said.output.contains("has not fired (60 s late)"), "\(said.output)")
        await daemon.runDue()
        #expect(await daemon.request("GET", "/readyz", token: nil).status == 200, "caught up")
        let caughtUp = try await TocsinBuild.cli(["status", "--server", server])
        #expect(caughtUp.status == 0 && caughtUp.output.contains("is ready"), "\(caughtUp.output)")
    }

    @Test func theBoundForLateWorkIsTheConfiguredOne() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        await daemon.stopServer()
        daemon.overdueAfter = .seconds(10)
        try await daemon.startServer()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        // The backup step is due at 300 s; at 315 s it is 15 s late.
        daemon.clock.advance(by: 315)
        let late = await daemon.request("GET", "/readyz", token: nil)
        #expect(late.status == 503 && late.text.contains("has not fired (15 s late)"), "\(late.text)")
    }

    @Test func readyzSaysAWriteFailedUntilOneSucceeds() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await FullDiskTests.restart(daemon, withRoomFor: 5, ballast: 200)
        var status = 202
        for index in 0..<2_000 where status == 202 {
            status = await daemon.postAlert(TestDaemon.alertJSON(key: "fill-\(index)", service: "reporting", urgency: "low", startsAt: daemon.clock.now())).status ?? 0
        }
        #expect(status == 503)
        let refused = await daemon.request("GET", "/readyz", token: nil)
        #expect(refused.status == 503)
        #expect((refused.json["reasons"] as? [String])?.first?.contains("failed: the database's disk is full") == true, "\(refused.text)")

        // The fallback contact hears of it at once, and again at its interval.
        let (watch, fallback, receiver) = try await FallbackAlarmTests.watchWithReceiverOfItsOwn(daemon.engine, repeatEvery: .seconds(60))
        defer { receiver.task.cancel() }
        let raised = try #require(await watch.check())
        #expect(raised.kind == .raised && raised.reasons.first?.contains("the database's disk is full") == true, "\(raised.reasons)")
        #expect(await watch.check() == nil, "once, then at its interval")
        daemon.clock.advance(by: 60)
        #expect(await watch.check()?.kind == .repeated)
        #expect(fallback.pages.map { $0.json["kind"] as? String } == ["tocsin_fallback_raised", "tocsin_fallback_repeated"])

        // Space is freed: the next alert is taken, tocsind is ready again, the fallback contact is
        // told, and what the alarm sent is on the system timeline.
        try await DatabaseQueue(path: daemon.databasePath, configuration: FullDiskTests.waitingForLocks).write { try $0.execute(sql: "DROP TABLE ballast") }
        #expect(await daemon.postAlert(TestDaemon.alertJSON(key: "after-space-freed", service: "reporting", urgency: "low", startsAt: daemon.clock.now())).status == 202)
        #expect(await daemon.request("GET", "/readyz", token: nil).status == 200)
        #expect(await watch.check()?.kind == .recovered)
        #expect(fallback.pages.map { $0.json["kind"] as? String } == ["tocsin_fallback_raised", "tocsin_fallback_repeated", "tocsin_fallback_recovered"])
        #expect(try daemon.engine.store.systemEvents(limit: 10).map(\.kind) == ["fallback_raised", "fallback_repeated", "fallback_recovered"])
    }
}
