import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// `tocsin drill start|report|history` as a user runs them: the real `tocsin` binary against
/// the real `tocsind`, started from a copy of the shipped configuration on 127.0.0.1, with
/// people's pages going to a local receiver.
@Suite(.serialized) struct DrillCommandTests {
    @Test func aDrillStartedFromTheCommandLineIsPagedAsADrillAndItsScorecardAndHistoryPrintInEveryFormat() async throws {
        let pages = try await LoopbackListener.start()
        defer { Task { await pages.stop() } }
        let port = try LoopbackPort.free()
        let folder = try DaemonFolder(port: port, listenerPort: pages.port)
        defer { folder.remove() }
        let daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()
        let server = ["--server", daemon.baseURL]
        func tocsin(_ arguments: [String], as token: String) async throws -> (status: Int32, output: String) {
            try await TocsinBuild.cli(arguments + server + ["--token", token])
        }

        // The shipped sample script, as docs/drills.md shows it.
        let script = folder.root.appendingPathComponent("Deploy/drills/ledger-failover.yaml").path
        let started = try await tocsin(["drill", "start", "total-outage", "--severity", "SEV2", "--script", script], as: "demo-li-na-token")
        #expect(started.status == 0, "\(started.output)")
        #expect(started.output == "Drill 1 opened: Ledger failover under pressure (SEV2), 5 scripted injections.\n", "\(started.output)")

        // The commander is paged, and the page says DRILL first.
        try await Polling.until("the commander is paged for the drill") { pages.listener.pages.contains { $0.path == "/chen.wei" } }
        let page = try #require(pages.listener.pages.first { $0.path == "/chen.wei" })
        #expect(page.json["drill"] as? Bool == true && (page.json["summary"] as? String)?.hasPrefix("DRILL: Ledger failover under pressure") == true, "\(page.json)")
        #expect(try await tocsin(["ack", "1"], as: "demo-chen-wei-token").status == 0)

        let text = try await tocsin(["drill", "report", "1"], as: "demo-li-na-token")
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.hasPrefix("Drill 1: Ledger failover under pressure (runbook total-outage)"), "\(text.output)")
        let commander = try #require(text.output.split(separator: "\n").first { $0.hasPrefix("commander ") }, "\(text.output)")
        let words = commander.split(separator: " ")
        #expect(words[1] == "chen.wei" && words.last == "met", "acknowledged within seconds, against 5 minutes: \(commander)")
        #expect(text.output.contains("not closed yet"))

        let markdown = try await tocsin(["drill", "report", "1", "--format", "markdown"], as: "demo-grace-ho-token")
        #expect(markdown.status == 0 && markdown.output.hasPrefix("# Drill 1: Ledger failover under pressure"), "\(markdown.output)")
        #expect(markdown.output.contains("| commander | chen.wei |"), "\(markdown.output)")
        let html = try await tocsin(["drill", "report", "1", "--format", "html"], as: "demo-grace-ho-token")
        #expect(html.status == 0 && html.output.contains("<td>commander</td><td>chen.wei</td>"), "\(html.output)")
        let json = try await tocsin(["drill", "report", "1", "--format", "json"], as: "demo-chen-wei-token")
        let card = try TocsinJSON.decoder.decode(DrillScorecard.self, from: Data(json.output.utf8))
        #expect(card.incidentID == 1 && card.acknowledgements.first { $0.role == .commander }?.person == "chen.wei")
        #expect(card.runbook == "total-outage" && !card.checklist.isEmpty && card.closedAt == nil)

        // A real incident is no drill: it has no scorecard and stays out of the history.
        let alert = #"{"source":"prometheus","dedup_key":"pay-5xx","summary":"Payment API 5xx above 20%","service":"payments-core","labels":{"urgency":"high"}}"#
        #expect(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)
        try await Polling.until("the real incident opens") { await daemon.request("GET", "/api/v1/incidents/2", token: "demo-chen-wei-token").status == 200 }
        let real = try await tocsin(["drill", "report", "2"], as: "demo-li-na-token")
        #expect(real.status != 0 && real.output.contains("Not a drill (HTTP 404)"), "\(real.output)")

        let history = try await tocsin(["drill", "history"], as: "demo-li-na-token")
        #expect(history.status == 0 && history.output.hasPrefix("Drill history: 1 drills"), "\(history.output)")
        #expect(history.output.contains("TEAM COMMANDER: TIME TO ACKNOWLEDGE"))
        let trend = try TocsinJSON.decoder.decode(DrillHistory.self, from: Data(try await tocsin(["drill", "history", "--format", "json"], as: "demo-li-na-token").output.utf8))
        #expect(trend.drills.map(\.incidentID) == [1] && trend.drills.first?.responses.first { $0.role == .commander }?.person == "chen.wei")
        let historyMarkdown = try await tocsin(["drill", "history", "--format", "markdown"], as: "demo-li-na-token")
        #expect(historyMarkdown.output.hasPrefix("# Drill history\n\n1 drills."), "\(historyMarkdown.output)")

        // Refusals print the server's reason and exit non-zero; none opens anything.
        let unknown = try await tocsin(["drill", "start", "meteor-strike"], as: "demo-li-na-token")
        #expect(unknown.status != 0 && unknown.output.contains("meteor-strike"), "\(unknown.output)")
        let executor = try await tocsin(["drill", "start", "total-outage"], as: "demo-zhang-lei-token")
        #expect(executor.status != 0 && executor.output.contains("may not start drills"), "\(executor.output)")
        let noScript = try await tocsin(["drill", "start", "total-outage", "--script", folder.root.appendingPathComponent("missing.yaml").path], as: "demo-li-na-token")
        #expect(noScript.status != 0 && noScript.output.contains("Cannot read the drill script"), "\(noScript.output)")
        let badScript = folder.root.appendingPathComponent("bad.yaml")
        try "injections:\n  - {after: 2m, inject: meteor}\n".write(to: badScript, atomically: true, encoding: .utf8)
        let refused = try await tocsin(["drill", "start", "total-outage", "--script", badScript.path], as: "demo-li-na-token")
        #expect(refused.status != 0 && refused.output.contains("meteor"), "\(refused.output)")
        let badFormat = try await tocsin(["drill", "report", "1", "--format", "pdf"], as: "demo-li-na-token")
        #expect(badFormat.status != 0, "\(badFormat.output)")
        let incidents = await daemon.json("/api/v1/incidents", token: "demo-chen-wei-token") as? [[String: Any]] ?? []
        #expect(incidents.count == 2, "only the drill and the real incident: \(incidents.count)")
    }
}
