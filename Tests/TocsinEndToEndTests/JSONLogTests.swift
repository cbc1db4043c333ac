import Foundation
import Testing
import TocsinTestSupport

/// `tocsind --log-format json`: every line it logs is one JSON object a log collector can read.
@Suite struct JSONLogTests {
    @Test func everyLogLineIsAJSONObjectWithTimeLevelLoggerAndMessage() async throws {
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
        defer { folder.remove() }
        let daemon = try TocsindDaemon(folder, options: ["--log-format", "json"])
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        // A page that fails is logged as a warning, with the receiver's answer.
        pages.listener.failNext(with: [400])
        let alert = TestDaemon.alertJSON(key: "json-logs", startsAt: Date())
        #expect(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)
        try await Polling.until("the failed page is logged", state: { daemon.program.logTail() }) {
            daemon.program.output.contains("\"level\":\"warning\"")
        }
        // The daemon stops before its receiver does, so no page of its is on the way to a closing server.
        await daemon.stop()
        await pages.stop()
        let lines = daemon.program.output.split(separator: "\n")
        try #require(lines.count >= 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "not a JSON object: \(line)")
            #expect(object["level"] != nil && object["logger"] != nil && object["message"] != nil, "\(line)")
            #expect(object["time"].flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) } != nil, "\(line)")
        }
        #expect(lines.contains { $0.contains("tocsind listening on http://127.0.0.1:\(folder.port)") })
    }
}
