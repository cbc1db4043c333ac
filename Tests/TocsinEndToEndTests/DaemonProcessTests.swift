import Foundation
import GRDB
import Hummingbird
import Testing
import TocsinCore
import TocsinHTTP
import TocsinPager

/// The real `tocsind` and `tocsin` binaries, as a user runs them: started from a config
/// folder, killed with SIGKILL, restarted, driven by the CLI.
@Suite(.serialized) struct DaemonProcessTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func binary(_ name: String) throws -> String {
        let path = repository.appendingPathComponent(".build/debug/\(name)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ProcessFailure("\(path) is missing; run `swift build --build-tests` first")
        }
        return path
    }

    struct ProcessFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A copy of Deploy/, Contacts/ and Runbooks/ whose daemon listens on `port` and whose people's
    /// webhooks reach `listenerPort`.
    static func configFolder(port: Int, listenerPort: Int) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tocsind-\(UUID().uuidString)")
        for folder in ["Deploy", "Contacts", "Runbooks"] {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: repository.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        let config = root.appendingPathComponent("Deploy/tocsin.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "port: 8080", with: "port: \(port)")
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: "http://127.0.0.1:\(port)")
            // A flooded person's pages wait for room under the rate limit; keep the window short here.
            .replacingOccurrences(of: "rate_limit: {messages: 6, per: 1m}", with: "rate_limit: {messages: 6, per: 2s}")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let people = root.appendingPathComponent("Contacts/people.yaml")
        try String(contentsOf: people, encoding: .utf8).replacingOccurrences(of: "127.0.0.1:9099", with: "127.0.0.1:\(listenerPort)")
            .write(to: people, atomically: true, encoding: .utf8)
        return root
    }

    static func freePort() -> Int { Int.random(in: 20_000..<40_000) }

    static func startDaemon(_ folder: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary("tocsind"))
        process.arguments = ["--config", folder.appendingPathComponent("Deploy/tocsin.yaml").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits (bounded: 10 s) until the daemon answers its health check.
    static func waitUntilServing(port: Int) async throws {
        for _ in 0..<200 {
            let response = await HTTPTransfer(url: "http://127.0.0.1:\(port)/healthz", timeout: .seconds(1)).send()
            if response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessFailure("tocsind did not start serving on port \(port)")
    }

    static func cli(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary("tocsin"))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func startListener() async throws -> (PageListener, Task<Void, any Error>, Int) {
        let listener = PageListener()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = listener.application(port: 0, logger: TestDaemon.quietLogger) { continuation.yield($0) }
        let task = Task { try await app.run() }
        for await port in ports { return (listener, task, port) }
        throw ProcessFailure("listener did not start")
    }

    @Test func killNineLosesNoAcceptedAlertAndTheCLIAcknowledges() async throws {
        let (listener, listenerTask, listenerPort) = try await Self.startListener()
        defer { listenerTask.cancel() }
        let port = Self.freePort()
        let folder = try Self.configFolder(port: port, listenerPort: listenerPort)
        defer { try? FileManager.default.removeItem(at: folder) }

        var daemon = try Self.startDaemon(folder)
        try await Self.waitUntilServing(port: port)
        var accepted = 0
        for index in 0..<40 {
            let body = TestDaemon.alertJSON(key: "fault-\(index)", startsAt: Date())
            let response = await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/alerts",
                                              headers: ["Authorization": "Bearer demo-monitoring-token", "Content-Type": "application/json"],
                                              body: Data(body.utf8)).send()
            if response.status == 202 { accepted += 1 }
        }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(accepted == 40)

        daemon = try Self.startDaemon(folder)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try await Self.waitUntilServing(port: port)
        let server = ["--server", "http://127.0.0.1:\(port)", "--token", "demo-chen-wei-token"]

        let list = try Self.cli(["incidents"] + server)
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

        let ack = try Self.cli(["ack", "7"] + server)
        #expect(ack.status == 0)
        #expect(ack.output.contains("Incident 7 acknowledged by chen.wei"))
        let again = try Self.cli(["ack", "7"] + ["--server", "http://127.0.0.1:\(port)", "--token", "demo-priya-raman-token"])
        #expect(again.output.contains("already acknowledged by chen.wei"))

        let export = try Self.cli(["export", "7", "--format", "json"] + server)
        #expect(export.status == 0)
        let record = try TimelineExport.jsonDecoder.decode(TimelineExport.self, from: Data(export.output.utf8))
        #expect(record.events.last?.kind == .acknowledgedAgain)
        #expect(record.events.filter { $0.kind == .acknowledged }.map(\.actor) == ["chen.wei"])
        #expect(record.events.firstBrokenLink() == nil)

        let refused = try Self.cli(["ack", "7", "--server", "http://127.0.0.1:\(port)", "--token", "wrong-token-value"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("Not authenticated (HTTP 401)"))
    }

    @Test func daemonRefusesToStartOnABrokenConfigAndSaysWhere() throws {
        let folder = try Self.configFolder(port: Self.freePort(), listenerPort: 9)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("Deploy/tocsin.yaml")
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "major: SEV2", with: "major: critical")
            .write(to: config, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary("tocsind"))
        process.arguments = ["--config", config.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78)
        #expect(message.contains("tocsin.yaml: severity.major: expected SEV1, SEV2, SEV3 or SEV4, got \"critical\""))

        let check = try Self.cli(["check", "--config", config.path])
        #expect(check.status != 0)
        #expect(check.output.contains("severity.major"))
    }
}

/// `kill -9` between a timer firing and its page being delivered: the receiver, which
/// deduplicates on `Idempotency-Key`, sees the page exactly once.
@Suite(.serialized) struct KillBetweenFiringAndDeliveryTests {
    typealias Daemon = DaemonProcessTests

    static func pageRows(_ folder: URL) throws -> [(status: String, attempts: Int)] {
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("var/tocsin.sqlite").path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT status, attempts FROM page ORDER BY id").map { ($0["status"], $0["attempts"]) }
        }
    }

    static func postAlert(port: Int) async -> Int? {
        await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/alerts",
                           headers: ["Authorization": "Bearer demo-monitoring-token", "Content-Type": "application/json"],
                           body: Data(TestDaemon.alertJSON(key: "killed", startsAt: Date()).utf8)).send().status
    }

    static func export(port: Int) throws -> TimelineExport {
        let output = try Daemon.cli(["export", "1", "--format", "json", "--server", "http://127.0.0.1:\(port)", "--token", "demo-chen-wei-token"]).output
        return try TimelineExport.jsonDecoder.decode(TimelineExport.self, from: Data(output.utf8))
    }

    @Test func killedWhileTheReceiverHoldsThePageItIsSeenOnce() async throws {
        let (listener, listenerTask, listenerPort) = try await Daemon.startListener()
        defer { listenerTask.cancel() }
        // The receiver records the page, then takes 5 s to answer: the daemon dies before it hears.
        listener.holdNext([.seconds(5)])
        let port = Daemon.freePort()
        let folder = try Daemon.configFolder(port: port, listenerPort: listenerPort)
        defer { try? FileManager.default.removeItem(at: folder) }

        var daemon = try Daemon.startDaemon(folder)
        try await Daemon.waitUntilServing(port: port)
        #expect(await Self.postAlert(port: port) == 202)
        for _ in 0..<200 where listener.pages.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        #expect(listener.pages.count == 1)
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(try Self.pageRows(folder).map(\.status) == ["pending"], "the timer fired and committed its page; no result was recorded")

        daemon = try Daemon.startDaemon(folder)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try await Daemon.waitUntilServing(port: port)
        for _ in 0..<200 where listener.duplicates == 0 { try await Task.sleep(for: .milliseconds(25)) }
        #expect(listener.duplicates == 1, "the restarted daemon sent it again with the same Idempotency-Key")
        #expect(listener.pages.count == 1, "the receiver saw it exactly once")
        #expect(listener.pages.first?.idempotencyKey == "incident-1/step-0/chen.wei/webhook")
        let record = try Self.export(port: port)
        #expect(record.events.filter { $0.kind == .pageQueued }.count == 1)
        #expect(record.events.filter { $0.kind == .pageSent }.count == 1)
        #expect(record.events.firstBrokenLink() == nil)
    }

    @Test func killedAfterFiringBeforeTheFirstAttemptThePageGoesOutOnceAfterRestart() async throws {
        let (listener, listenerTask, listenerPort) = try await Daemon.startListener()
        defer { listenerTask.cancel() }
        let port = Daemon.freePort()
        let folder = try Daemon.configFolder(port: port, listenerPort: listenerPort)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The commander's webhook waits 2 s after the step fires: time to kill in between.
        let people = folder.appendingPathComponent("Contacts/people.yaml")
        let hook = "webhook: http://127.0.0.1:\(listenerPort)/chen.wei"
        try String(contentsOf: people, encoding: .utf8).replacingOccurrences(of: hook, with: "\(hook)\n        delay: 2s")
            .write(to: people, atomically: true, encoding: .utf8)

        var daemon = try Daemon.startDaemon(folder)
        try await Daemon.waitUntilServing(port: port)
        #expect(await Self.postAlert(port: port) == 202)
        for _ in 0..<200 where (try? Self.pageRows(folder).count) ?? 0 == 0 { try await Task.sleep(for: .milliseconds(10)) }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(try Self.pageRows(folder).map(\.status) == ["pending"])
        #expect(try Self.pageRows(folder).map(\.attempts) == [0])
        #expect(listener.requests == 0)

        daemon = try Daemon.startDaemon(folder)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try await Daemon.waitUntilServing(port: port)
        for _ in 0..<200 where listener.pages.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(listener.pages.map(\.path) == ["/chen.wei"])
        #expect(listener.requests == 1)
        #expect(try Self.export(port: port).events.filter { $0.kind == .pageSent }.count == 1)
    }
}

/// `tocsin oncall` and `tocsin check` on the shipped Contacts/.
@Suite struct RosterCommandTests {
    typealias Daemon = DaemonProcessTests

    @Test func oncallShowsWhoHoldsARoleThenThroughRotationsOverridesAndStandIns() throws {
        let folder = try Daemon.configFolder(port: Daemon.freePort(), listenerPort: 9)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("Deploy/tocsin.yaml").path
        let swapped = try Daemon.cli(["oncall", "technical_executors", "--config", config, "--at", "2026-11-24T10:00:00+08:00"])
        #expect(swapped.status == 0)
        let primary = try #require(swapped.output.split(separator: "\n").first { $0.contains("primary") })
        #expect(primary.contains("liu.yang") && primary.contains("rotation executors, override for zhang.lei"), "\(swapped.output)")
        #expect(primary.contains("10:00 Tue Asia/Shanghai"))
        let usual = try Daemon.cli(["oncall", "technical_executors", "--config", config, "--at", "2026-11-26T10:00:00+08:00"])
        #expect(usual.output.contains("zhang.lei"))
        let holiday = try Daemon.cli(["oncall", "technical_coordinator", "--config", config, "--at", "2026-12-25T12:00:00Z"])
        #expect(holiday.output.contains("liu.yang") && holiday.output.contains("stand-in for sam.okafor"), "\(holiday.output)")
        let unknown = try Daemon.cli(["oncall", "fault_analist", "--config", config])
        #expect(unknown.status != 0 && unknown.output.contains("No role \"fault_analist\""))
        let badTime = try Daemon.cli(["oncall", "--config", config, "--at", "tomorrow"])
        #expect(badTime.status != 0 && badTime.output.contains("is not a time"))
    }

    @Test func checkReportsCoverageGapsAndPeopleWithoutAWorkingContactMethod() throws {
        let folder = try Daemon.configFolder(port: Daemon.freePort(), listenerPort: 9)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("Deploy/tocsin.yaml").path
        let clean = try Daemon.cli(["check", "--config", config])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("Coverage: every role has a reachable primary and backup"))
        #expect(clean.output.contains("escalation SEV1: repeat 2 time(s) after 15m, ack timeout 30m"))

        let people = folder.appendingPathComponent("Contacts/people.yaml")
        try String(contentsOf: people, encoding: .utf8)
            .replacingOccurrences(of: "    contact:\n      - webhook: http://127.0.0.1:9/zhou.min\n", with: "")
            .write(to: people, atomically: true, encoding: .utf8)
        let gap = try Daemon.cli(["check", "--config", config])
        #expect(gap.status == 2)
        #expect(gap.output.contains("leadership.backup") && gap.output.contains("zhou.min has no working contact method"), "\(gap.output)")
        #expect(gap.output.contains("People without a working contact method (passed over when paged): zhou.min"))

        let roles = folder.appendingPathComponent("Contacts/roles.yaml")
        try String(contentsOf: roles, encoding: .utf8).replacingOccurrences(of: "backup: vendor.dba", with: "backup: vendor.dab")
            .write(to: roles, atomically: true, encoding: .utf8)
        let unknown = try Daemon.cli(["check", "--config", config])
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("roles.yaml: roles.technical_executors.backup: no person \"vendor.dab\""))
    }
}
