import Foundation
import GRDB
import Testing
import TocsinCore
import TocsinTestSupport

/// SIGTERM to the real tocsind while a page is on its way to a slow receiver: the daemon stops
/// taking requests, lets the transfer finish and records it before it exits; a page still
/// unanswered at the drain timeout stays in the outbox and goes again after the restart.
@Suite(.serialized) struct GracefulStopTests {
    struct Stopping {
        let pages: LoopbackListener
        let folder: DaemonFolder
        let daemon: TocsindDaemon
        /// The idempotency key of the page the slow receiver holds.
        let heldKey: String

        var database: String { folder.root.appendingPathComponent("var/tocsin.sqlite").path }

        /// The held page's row, and how many attempts of it its incident's timeline records (sent or failed).
        func page() throws -> (status: String, attempts: Int, recordedAttempts: Int) {
            let queue = try DatabaseQueue(path: database)
            return try queue.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT status, attempts, incident_id FROM page WHERE idempotency_key = ?", arguments: [heldKey]))
                let recorded = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event WHERE incident_id = ? AND kind IN ('page_sent', 'page_failed') AND detail LIKE ?",
                                                arguments: [row["incident_id"] as Int64, "%\(heldKey)%"]) ?? 0
                return (row["status"], row["attempts"], recorded)
            }
        }
    }

    /// Starts tocsind, opens an incident whose commander's page the receiver holds for `hold`,
    /// and sends SIGTERM once that page has arrived there.
    func stopWhileAPageIsOnItsWay(hold: Duration, drainTimeout: String) async throws -> Stopping {
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
        try folder.replace("drain_timeout: 10s", with: "drain_timeout: \(drainTimeout)", in: "Deploy/tocsin.yaml")
        pages.listener.holdNext([hold])
        let daemon = try TocsindDaemon(folder)
        try await daemon.waitUntilServing()
        let alert = TestDaemon.alertJSON(key: "ledger-down", startsAt: Date())
        #expect(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)
        try await Polling.until("the commander's page reaches the slow receiver", limit: .seconds(20), every: .milliseconds(20)) {
            pages.listener.requests >= 1
        }
        let key = try #require(pages.listener.pages.first?.idempotencyKey)
        daemon.program.process.signal(SIGTERM)
        return Stopping(pages: pages, folder: folder, daemon: daemon, heldKey: key)
    }

    @Test func sigtermLetsAPageOnItsWayFinishAndRecordsItBeforeExiting() async throws {
        let stopping = try await stopWhileAPageIsOnItsWay(hold: .seconds(3), drainTimeout: "20s")
        defer {
            stopping.daemon.stop()
            stopping.folder.remove()
            Task { await stopping.pages.stop() }
        }
        try await Polling.until("tocsind stops taking requests", limit: .seconds(10), every: .milliseconds(20)) {
            await stopping.daemon.request("GET", "/healthz", token: nil).status != 200
        }
        let refused = await stopping.daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token",
                                                    body: TestDaemon.alertJSON(key: "too-late", startsAt: Date()))
        #expect(refused.status != 202, "no alert is taken once stopping")
        #expect(try await stopping.daemon.program.exitStatus(within: .seconds(30)) == 0, "\(stopping.daemon.program.logTail())")

        // The receiver's answer is on record (sent; or, on a machine too loaded for the receiver to
        // answer within the delivery timeout, that failed attempt), not left unrecorded.
        let page = try stopping.page()
        #expect(page.attempts == 1 && page.recordedAttempts == 1, "\(page)")
        #expect(stopping.daemon.program.output.contains("every page on its way was answered and recorded"), "\(stopping.daemon.program.logTail())")
        let queue = try DatabaseQueue(path: stopping.database)
        #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM alert WHERE dedup_key = 'too-late'") } == 0)
    }

    @Test func aPageUnansweredAtTheDrainTimeoutStaysInTheOutboxAndGoesAgainAfterTheRestart() async throws {
        let stopping = try await stopWhileAPageIsOnItsWay(hold: .seconds(12), drainTimeout: "1s")
        defer {
            stopping.daemon.stop()
            stopping.folder.remove()
            Task { await stopping.pages.stop() }
        }
        #expect(try await stopping.daemon.program.exitStatus(within: .seconds(30)) == 0, "\(stopping.daemon.program.logTail())")
        #expect(stopping.daemon.program.output.contains("1 pages still unanswered"), "\(stopping.daemon.program.logTail())")
        let left = try stopping.page()
        #expect(left.status == "pending" && left.attempts == 0 && left.recordedAttempts == 0, "nothing recorded for an attempt not finished: \(left)")

        let restarted = try TocsindDaemon(stopping.folder)
        defer { restarted.stop() }
        try await restarted.waitUntilServing()
        try await Polling.until("the page goes again after the restart", limit: .seconds(20), every: .milliseconds(50)) {
            try stopping.page().status == "sent"
        }
        #expect(stopping.pages.listener.duplicates == 1, "the receiver saw the same idempotency key again and dropped the repeat")
        #expect(try stopping.page().recordedAttempts == 1)
    }
}
