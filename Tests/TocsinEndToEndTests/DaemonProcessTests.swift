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

        // Every incident's commander page arrives once the restarted daemon has drained its outbox.
        for _ in 0..<200 where Set(listener.pages.compactMap(\.idempotencyKey)).count < 40 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let keys = listener.pages.compactMap(\.idempotencyKey)
        #expect(Set(keys).count == 40)
        #expect(keys.allSatisfy { $0.hasSuffix("/step-0/chen.wei/webhook") })

        let ack = try Self.cli(["ack", "7"] + server)
        #expect(ack.status == 0)
        #expect(ack.output.contains("Incident 7 acknowledged by chen.wei"))
        let again = try Self.cli(["ack", "7"] + ["--server", "http://127.0.0.1:\(port)", "--token", "demo-priya-raman-token"])
        #expect(again.output.contains("already acknowledged by chen.wei"))

        let export = try Self.cli(["export", "7", "--format", "json"] + server)
        #expect(export.status == 0)
        let record = try TocsinJSON.decoder.decode(IncidentExport.self, from: Data(export.output.utf8))
        #expect(record.events.map(\.kind).suffix(3) == [.acknowledged, .acknowledgedAgain, .exported])
        #expect(record.timelineEvents.chainProblem() == nil)

        // The tamper-evident record: an intact export and database verify; edited ones name the first bad event.
        let exportFile = folder.appendingPathComponent("incident-7.json")
        #expect(try Self.cli(["export", "7", "--format", "json", "-o", exportFile.path] + server).status == 0)
        let intact = try Self.cli(["verify", exportFile.path])
        #expect(intact.status == 0 && intact.output.contains("hash chain intact"), "\(intact.output)")
        let text = try String(contentsOf: exportFile, encoding: .utf8)
        try text.replacingOccurrences(of: "\"actor\" : \"chen.wei\"", with: "\"actor\" : \"li.na\"").write(to: exportFile, atomically: true, encoding: .utf8)
        let edited = try Self.cli(["verify", exportFile.path])
        let ackSequence = try #require(record.events.first { $0.kind == .acknowledged }?.sequence)
        #expect(edited.status == 1)
        #expect(edited.output.contains("incident 7: event \(ackSequence) (acknowledged) does not match: its content does not match its hash"), "\(edited.output)")

        let database = folder.appendingPathComponent("var/tocsin.sqlite").path
        let intactDatabase = try Self.cli(["verify", "--database", database])
        #expect(intactDatabase.status == 0 && intactDatabase.output.contains("every hash chain intact"), "\(intactDatabase.output)")
        try editEvent(database: database, incident: 7, sequence: 2)
        let editedDatabase = try Self.cli(["verify", "--database", database])
        #expect(editedDatabase.status == 1)
        #expect(editedDatabase.output.contains("incident 7: event 2 (alert_received) does not match"), "\(editedDatabase.output)")
        #expect(!editedDatabase.output.contains("incident 6:"), "other incidents are intact")

        let refused = try Self.cli(["ack", "7", "--server", "http://127.0.0.1:\(port)", "--token", "wrong-token-value"])
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
