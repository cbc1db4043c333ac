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

        var daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        var accepted = 0
        for index in 0..<40 {
            let body = TestDaemon.alertJSON(key: "fault-\(index)", startsAt: Date())
            let response = await HTTPTransfer(method: "POST", url: "http://127.0.0.1:\(port)/api/v1/alerts",
                                              headers: ["Authorization": "Bearer demo-monitoring-token", "Content-Type": "application/json"],
                                              body: Data(body.utf8)).send()
            if response.status == 202 { accepted += 1 }
        }
        daemon.kill9()
        #expect(accepted == 40)

        daemon = try TocsindDaemon(folder)
        try await daemon.waitUntilServing()
        let server = ["--server", "http://127.0.0.1:\(port)", "--token", "demo-chen-wei-token"]

        let list = try TocsinBuild.cli(["incidents"] + server)
        #expect(list.status == 0)
        #expect(list.output.split(separator: "\n").count == 41, "every accepted alert's incident survives kill -9:\n\(list.output)")

        // Every incident's commander page arrives once the restarted daemon has drained its outbox.
        for _ in 0..<200 where Set(listener.pages.compactMap(\.idempotencyKey)).count < 40 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let keys = listener.pages.compactMap(\.idempotencyKey)
        #expect(Set(keys).count == 40)
        #expect(keys.allSatisfy { $0.hasSuffix("/step-0/chen.wei/webhook") })
        await pages.stop()

        let ack = try TocsinBuild.cli(["ack", "7"] + server)
        #expect(ack.status == 0)
        #expect(ack.output.contains("Incident 7 acknowledged by chen.wei"))
        let again = try TocsinBuild.cli(["ack", "7"] + ["--server", "http://127.0.0.1:\(port)", "--token", "demo-priya-raman-token"])
        #expect(again.output.contains("already acknowledged by chen.wei"))

        let export = try TocsinBuild.cli(["export", "7", "--format", "json"] + server)
        #expect(export.status == 0)
        let record = try TocsinJSON.decoder.decode(IncidentExport.self, from: Data(export.output.utf8))
        #expect(record.events.map(\.kind).suffix(3) == [.acknowledged, .acknowledgedAgain, .exported])
        #expect(record.timelineEvents.chainProblem() == nil)

        // The tamper-evident record: an intact export and database verify; edited ones name the first bad event.
        let exportFile = folder.root.appendingPathComponent("incident-7.json")
        #expect(try TocsinBuild.cli(["export", "7", "--format", "json", "-o", exportFile.path] + server).status == 0)
        let intact = try TocsinBuild.cli(["verify", exportFile.path])
        #expect(intact.status == 0 && intact.output.contains("hash chain intact"), "\(intact.output)")
        let text = try String(contentsOf: exportFile, encoding: .utf8)
        try text.replacingOccurrences(of: "\"actor\" : \"chen.wei\"", with: "\"actor\" : \"li.na\"").write(to: exportFile, atomically: true, encoding: .utf8)
        let edited = try TocsinBuild.cli(["verify", exportFile.path])
        let ackSequence = try #require(record.events.first { $0.kind == .acknowledged }?.sequence)
        #expect(edited.status == 1)
        #expect(edited.output.contains("incident 7: event \(ackSequence) (acknowledged) does not match: its content does not match its hash"), "\(edited.output)")

        let database = folder.root.appendingPathComponent("var/tocsin.sqlite").path
        let intactDatabase = try TocsinBuild.cli(["verify", "--database", database])
        #expect(intactDatabase.status == 0 && intactDatabase.output.contains("every hash chain intact"), "\(intactDatabase.output)")
        try editEvent(database: database, incident: 7, sequence: 2)
        let editedDatabase = try TocsinBuild.cli(["verify", "--database", database])
        #expect(editedDatabase.status == 1)
        #expect(editedDatabase.output.contains("incident 7: event 2 (alert_received) does not match"), "\(editedDatabase.output)")
        #expect(!editedDatabase.output.contains("incident 6:"), "other incidents are intact")

        let refused = try TocsinBuild.cli(["ack", "7", "--server", "http://127.0.0.1:\(port)", "--token", "wrong-token-value"])
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
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: 9)
        defer { folder.remove() }
        try folder.edit("Deploy/tocsin.yaml") { $0.replacingOccurrences(of: "major: SEV2", with: "major: critical") }
        let config = URL(fileURLWithPath: folder.configPath)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TocsinBuild.binary("tocsind"))
        process.arguments = ["--config", config.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78)
        #expect(message.contains("tocsin.yaml: severity.major: expected SEV1, SEV2, SEV3 or SEV4, got \"critical\""))

        let check = try TocsinBuild.cli(["check", "--config", config.path])
        #expect(check.status != 0)
        #expect(check.output.contains("severity.major"))
    }
}
