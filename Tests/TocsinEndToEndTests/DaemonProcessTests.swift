import Foundation
import GRDB
import Hummingbird
import Testing
import TocsinCore
import TocsinHTTP
import TocsinPager
import TocsinTestSupport

/// The real `tocsind` and `tocsin` binaries, as a user runs them: started from a config
/// folder, killed with SIGKILL, restarted, driven by the CLI.
@Suite(.serialized) struct DaemonProcessTests {
    @Test func killNineLosesNoAcceptedAlertAndTheCLIAcknowledges() async throws {
        let pages = try await LoopbackListener.start()
        let listener = pages.listener
        let port = try LoopbackPort.free()
        let folder = try DaemonFolder(port: port, listenerPort: pages.port)
        defer { folder.remove() }
        // A flooded person's pages wait for room under the rate limit; keep the window short here.
        try folder.replace("rate_limit: {messages: 6, per: 1m}", with: "rate_limit: {messages: 6, per: 2s}", in: "Deploy/tocsin.yaml")

        var daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        var accepted = 0
        for index in 0..<40 {
            let body = TestDaemon.alertJSON(key: "fault-\(index)", startsAt: Date())
            let response = await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/alerts",
                                              headers: ["Authorization": "Bearer demo-monitoring-token", "Content-Type": "application/json"],
                                              body: Data(body.utf8)).sendPatiently()
            if response.status == 202 { accepted += 1 }
        }
        daemon.kill9()
        #expect(accepted == 40)

        daemon = try TocsindDaemon(folder)
        try await daemon.waitUntilServing()
        let server = ["--server", "http://127.0.0.1:\(port)", "--token", "demo-chen-wei-token"]

        let list = try await TocsinBuild.cli(["incidents"] + server)
        #expect(list.status == 0)
        #expect(list.output.split(separator: "\n").count == 41, "every accepted alert's incident survives kill -9:\n\(list.output)")

        // Every incident's commander page arrives once the restarted daemon has drained its
        // outbox: one by one up to the commander's rate limit, the rest bundled into one message.
        func pagedIncidents() -> [Int] {
            listener.pages.flatMap { page -> [Int] in
                let json = page.json
                if json["bundle"] as? Bool == true { return (json["pages"] as? [[String: Any]] ?? []).compactMap { $0["incident_id"] as? Int } }
                return (json["incident_id"] as? Int).map { [$0] } ?? []
            }
        }
        for _ in 0..<200 where Set(pagedIncidents()).count < 40 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Set(pagedIncidents()) == Set(1...40))
        #expect(pagedIncidents().count == 40, "no incident paged twice")
        let keys = listener.pages.compactMap(\.idempotencyKey)
        #expect(keys.allSatisfy { $0.hasSuffix("/step-0/chen.wei/webhook") || $0.hasPrefix("bundle/chen.wei/webhook/") })
        #expect(listener.pages.count < 40, "a flooded commander gets bundles, not forty messages")
        await pages.stop()

        let ack = try await TocsinBuild.cli(["ack", "7"] + server)
        #expect(ack.status == 0)
        #expect(ack.output.contains("Incident 7 acknowledged by chen.wei"))
        let again = try await TocsinBuild.cli(["ack", "7"] + ["--server", "http://127.0.0.1:\(port)", "--token", "demo-priya-raman-token"])
        #expect(again.output.contains("already acknowledged by chen.wei"))

        let export = try await TocsinBuild.cli(["export", "7", "--format", "json"] + server)
        #expect(export.status == 0)
        let record = try TocsinJSON.decoder.decode(IncidentExport.self, from: Data(export.output.utf8))
        #expect(record.events.map(\.kind).suffix(3) == [.acknowledged, .acknowledgedAgain, .exported])
        #expect(record.timelineEvents.chainProblem() == nil)

        // The tamper-evident record: an intact export and database verify; edited ones name the first bad event.
        let exportFile = folder.root.appendingPathComponent("incident-7.json")
        #expect(try await TocsinBuild.cli(["export", "7", "--format", "json", "-o", exportFile.path] + server).status == 0)
        let intact = try await TocsinBuild.cli(["verify", exportFile.path])
        #expect(intact.status == 0 && intact.output.contains("hash chain intact"), "\(intact.output)")
        let text = try String(contentsOf: exportFile, encoding: .utf8)
        try text.replacingOccurrences(of: "\"actor\" : \"chen.wei\"", with: "\"actor\" : \"li.na\"").write(to: exportFile, atomically: true, encoding: .utf8)
        let edited = try await TocsinBuild.cli(["verify", exportFile.path])
        let ackSequence = try #require(record.events.first { $0.kind == .acknowledged }?.sequence)
        #expect(edited.status == 1)
        #expect(edited.output.contains("incident 7: event \(ackSequence) (acknowledged) does not match: its content does not match its hash"), "\(edited.output)")

        let database = folder.root.appendingPathComponent("var/tocsin.sqlite").path
        let intactDatabase = try await TocsinBuild.cli(["verify", "--database", database])
        #expect(intactDatabase.status == 0 && intactDatabase.output.contains("every hash chain intact"), "\(intactDatabase.output)")
        try editEvent(database: database, incident: 7, sequence: 2)
        let editedDatabase = try await TocsinBuild.cli(["verify", "--database", database])
        #expect(editedDatabase.status == 1)
        #expect(editedDatabase.output.contains("incident 7: event 2 (alert_received) does not match"), "\(editedDatabase.output)")
        #expect(!editedDatabase.output.contains("incident 6:"), "other incidents are intact")

        let refused = try await TocsinBuild.cli(["ack", "7", "--server", "http://127.0.0.1:\(port)", "--token", "wrong-token-value"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("Not authenticated (HTTP 401)"))
    }

    /// What someone covering their tracks would do: rewrite one event's detail in place.
    func editEvent(database: String, incident: Int64, sequence: Int) throws {
        let queue = try DatabaseQueue(path: database)
        try queue.write { db in
            try db.execute(sql: "UPDATE event SET detail = ? WHERE incident_id = ? AND seq = ?", arguments: ["{\"summary\":\"nothing happened\"}", incident, sequence])
        }
    }

    /// Runs `tocsind` expecting it to refuse to start: its exit status and what it wrote.
    static func refusedStart(config: String) async throws -> (status: Int32, message: String) {
        let (status, output) = try await ChildProcess.run(try TocsinBuild.binary("tocsind"), ["--config", config])
        return (status, output)
    }

    @Test func aSecondDaemonOnTheSameDatabaseIsRefusedUntilTheFirstIsGone() async throws {
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: 9)
        defer { folder.remove() }
        let first = try TocsindDaemon(folder)
        defer { first.stop() }
        try await first.waitUntilServing()

        let (status, message) = try await Self.refusedStart(config: folder.configPath)
        #expect(status == 75)
        #expect(message.contains("another tocsind is using this database"), "\(message)")
        #expect(await first.request("GET", "/healthz", token: nil).status == 200, "the first one carries on")

        // Killed, the first lets go of the database at once.
        first.kill9()
        let restarted = try TocsindDaemon(folder)
        defer { restarted.stop() }
        try await restarted.waitUntilServing()
    }

    @Test func daemonRefusesToStartOnABrokenConfigAndSaysWhere() async throws {
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: 9)
        defer { folder.remove() }
        try folder.replace("major: SEV2", with: "major: critical", in: "Deploy/tocsin.yaml")
        let config = URL(fileURLWithPath: folder.configPath)

        let (status, message) = try await Self.refusedStart(config: config.path)
        #expect(status == 78)
        #expect(message.contains("tocsin.yaml: severity.major: expected SEV1, SEV2, SEV3 or SEV4, got \"critical\""))

        let check = try await TocsinBuild.cli(["check", "--config", config.path])
        #expect(check.status != 0)
        #expect(check.output.contains("severity.major"))

        // Two problems: both named in one run, a line each, by the checker and by the daemon.
        try folder.replace("secret: demo-ack-link-secret-change-me", with: "secret: short", in: "Deploy/tocsin.yaml")
        let both = try await TocsinBuild.cli(["check", "--config", config.path])
        #expect(both.status == 1)
        #expect(both.output.contains("severity.major: expected SEV1") && both.output.contains("ack_links.secret: too short; use at least 16 characters\n"),
                "\(both.output)")
        let (bothStatus, bothMessage) = try await Self.refusedStart(config: config.path)
        #expect(bothStatus == 78 && bothMessage.contains("2 problems") && bothMessage.contains("ack_links.secret"), "\(bothMessage)")
    }
}

/// `kill -9` between a timer firing and its page being delivered: the receiver, which
/// deduplicates on `Idempotency-Key`, sees the page exactly once.
@Suite(.serialized) struct KillBetweenFiringAndDeliveryTests {
    static func pageRows(_ folder: URL) throws -> [(status: String, attempts: Int)] {
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("var/tocsin.sqlite").path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT status, attempts FROM page ORDER BY id").map { ($0["status"], $0["attempts"]) }
        }
    }

    static func postAlert(port: Int) async -> Int? {
        await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/alerts",
                           headers: ["Authorization": "Bearer demo-monitoring-token", "Content-Type": "application/json"],
                           body: Data(TestDaemon.alertJSON(key: "killed", startsAt: Date()).utf8)).sendPatiently().status
    }

    static func export(port: Int) throws -> IncidentExport {
        let output = try TocsinBuild.cli(["export", "1", "--format", "json", "--server", "http://127.0.0.1:\(port)", "--token", "demo-chen-wei-token"]).output
        return try TocsinJSON.decoder.decode(IncidentExport.self, from: Data(output.utf8))
    }

    @Test func killedWhileTheReceiverHoldsThePageItIsSeenOnce() async throws {
        let pages = try await LoopbackListener.start()
        defer { Task { await pages.stop() } }
        let listener = pages.listener
        // The receiver records the page, then takes 5 s to answer: the daemon dies before it hears.
        listener.holdNext([.seconds(5)])
        let port = try LoopbackPort.free()
        let folder = try DaemonFolder(port: port, listenerPort: pages.port)
        defer { folder.remove() }

        var daemon = try TocsindDaemon(folder)
        try await daemon.waitUntilServing()
        #expect(await Self.postAlert(port: port) == 202)
        for _ in 0..<200 where listener.pages.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        #expect(listener.pages.count == 1)
        daemon.kill9()
        #expect(try Self.pageRows(folder.root).map(\.status) == ["pending"], "the timer fired and committed its page; no result was recorded")

        daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        for _ in 0..<200 where listener.duplicates == 0 { try await Task.sleep(for: .milliseconds(25)) }
        #expect(listener.duplicates == 1, "the restarted daemon sent it again with the same Idempotency-Key")
        #expect(listener.pages.count == 1, "the receiver saw it exactly once: \(listener.pages.map(\.idempotencyKey))")
        #expect(listener.pages.first?.idempotencyKey == "incident-1/step-0/chen.wei/webhook")
        let record = try Self.export(port: port)
        #expect(record.events.filter { $0.kind == .pageQueued }.count == 1)
        #expect(record.events.filter { $0.kind == .pageSent }.count == 1)
        #expect(record.timelineEvents.chainProblem() == nil)
    }

    @Test func killedAfterFiringBeforeTheFirstAttemptThePageGoesOutOnceAfterRestart() async throws {
        let pages = try await LoopbackListener.start()
        defer { Task { await pages.stop() } }
        let listener = pages.listener
        let port = try LoopbackPort.free()
        let folder = try DaemonFolder(port: port, listenerPort: pages.port)
        defer { folder.remove() }
        // The commander's webhook waits 2 s after the step fires: time to kill in between.
        let hook = "webhook: http://127.0.0.1:\(pages.port)/chen.wei"
        try folder.replace(hook, with: "\(hook)\n        delay: 2s", in: "Contacts/people.yaml")

        var daemon = try TocsindDaemon(folder)
        try await daemon.waitUntilServing()
        #expect(await Self.postAlert(port: port) == 202)
        for _ in 0..<200 where (try? Self.pageRows(folder.root).count) ?? 0 == 0 { try await Task.sleep(for: .milliseconds(10)) }
        daemon.kill9()
        #expect(try Self.pageRows(folder.root).map(\.status) == ["pending"])
        #expect(try Self.pageRows(folder.root).map(\.attempts) == [0])
        #expect(listener.requests == 0)

        daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        for _ in 0..<200 where listener.pages.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(listener.pages.map(\.path) == ["/chen.wei"])
        #expect(listener.requests == 1)
        #expect(try Self.export(port: port).events.filter { $0.kind == .pageSent }.count == 1)
    }
}

/// `tocsin oncall` and `tocsin check` on the shipped Contacts/.
@Suite struct RosterCommandTests {
    @Test func oncallShowsWhoHoldsARoleThenThroughRotationsOverridesAndStandIns() async throws {
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: 9)
        defer { folder.remove() }
        let config = folder.configPath
        let swapped = try await TocsinBuild.cli(["oncall", "technical_executors", "--config", config, "--at", "2026-11-24T10:00:00+08:00"])
        #expect(swapped.status == 0)
        let primary = try #require(swapped.output.split(separator: "\n").first { $0.contains("primary") })
        #expect(primary.contains("liu.yang") && primary.contains("rotation executors, override for zhang.lei"), "\(swapped.output)")
        #expect(primary.contains("10:00 Tue Asia/Shanghai"))
        let usual = try await TocsinBuild.cli(["oncall", "technical_executors", "--config", config, "--at", "2026-11-26T10:00:00+08:00"])
        #expect(usual.output.contains("zhang.lei"))
        let holiday = try await TocsinBuild.cli(["oncall", "technical_coordinator", "--config", config, "--at", "2026-12-25T12:00:00Z"])
        #expect(holiday.output.contains("liu.yang") && holiday.output.contains("stand-in for sam.okafor"), "\(holiday.output)")
        let unknown = try await TocsinBuild.cli(["oncall", "fault_analist", "--config", config])
        #expect(unknown.status != 0 && unknown.output.contains("No role \"fault_analist\""))
        let badTime = try await TocsinBuild.cli(["oncall", "--config", config, "--at", "tomorrow"])
        #expect(badTime.status != 0 && badTime.output.contains("is not a time"))
    }

    @Test func checkReportsCoverageGapsAndPeopleWithoutAWorkingContactMethod() async throws {
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: 9)
        defer { folder.remove() }
        let config = folder.configPath
        let clean = try await TocsinBuild.cli(["check", "--config", config])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("Coverage: every role has a reachable primary and backup"))
        #expect(clean.output.contains("escalation SEV1: repeat 2 time(s) after 15m, ack timeout 30m"))

        try folder.replace("    contact:\n      - webhook: http://127.0.0.1:9/zhou.min\n", with: "", in: "Contacts/people.yaml")
        let gap = try await TocsinBuild.cli(["check", "--config", config])
        #expect(gap.status == 2)
        #expect(gap.output.contains("leadership.backup") && gap.output.contains("zhou.min has no working contact method"), "\(gap.output)")
        #expect(gap.output.contains("People without a working contact method (passed over when paged): zhou.min"))

        try folder.replace("backup: vendor.dba", with: "backup: vendor.dab", in: "Contacts/roles.yaml")
        let unknown = try await TocsinBuild.cli(["check", "--config", config])
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("roles.yaml: roles.technical_executors.backup: no person \"vendor.dab\""))
    }
}
