import Foundation
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
