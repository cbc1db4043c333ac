import Foundation
import Testing
import TocsinCore
import TocsinPager

/// The review page: the response report's figures with charts drawn as SVG on the server,
/// the report's downloads (the API's own figures), and incident exports as forms that post,
/// since each export is recorded on the incident.
@Suite struct ConsoleReviewTests {
    /// Incident 1 on payments-core, acknowledged by chen.wei 90 seconds after it opened.
    static func acknowledgedIncident() async throws -> TestDaemon {
        let daemon = try await TestDaemon()
        let alert = #"{"source":"prometheus","dedup_key":"card","summary":"Card <i>auth</i> failing","service":"payments-core","labels":{"urgency":"high"},"starts_at":"2027-01-15T08:00:00Z"}"#
        #expect(await daemon.postAlert(alert).status == 202)
        await daemon.runDue()
        await daemon.advance(by: 90)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen").status == 200)
        return daemon
    }

    @Test func theReportShowsFiguresAndSVGChartsToReviewersOnly() async throws {
        let daemon = try await Self.acknowledgedIncident()
        defer { daemon.stop() }
        let executor = ConsoleVisitor(daemon)
        await executor.signIn("token-zhang")
        let refused = await executor.get("/review")
        #expect(refused.status == 403 && refused.text.contains("zhang.lei may not read exports or response figures"))

        let reviewer = ConsoleVisitor(daemon)
        await reviewer.signIn("token-grace")
        let page = await reviewer.get("/review")
        #expect(page.status == 200)
        let text = page.text
        #expect(text.contains("1 incident opened from 2026-12-17 00:00:00 UTC to 2027-01-16 00:00:00 UTC"))
        #expect(text.contains("<tr><td>payments-core</td><td>SEV1</td><td>1</td><td>1m 30s</td><td>–</td><td>1</td><td>0</td></tr>"))
        #expect(text.contains("<svg class=\"chart\"") && text.contains("role=\"img\" aria-label=\"Mean time to acknowledge and to recover by service and severity\""))
        #expect(text.contains("<rect class=\"bar mtta\" x=\"200.0\" y=\"4.0\" width=\"440.0\""), "the only MTTA is the longest bar")
        #expect(text.contains(">MTTA 1m 30s</text>"))
        #expect(text.contains("<text class=\"chart-label\" x=\"0\" y=\"17.0\">chen.wei</text>"))
        #expect(!text.contains(" style=") && text.components(separatedBy: "<script").count == 2, "no inline style or script in the charts")

        let empty = await reviewer.get("/review?from=2026-01-01&to=2026-02-01").text
        #expect(empty.contains("0 incidents opened") && !empty.contains("<svg"))
        #expect(await reviewer.get("/review?from=2027-02-01&to=2027-01-01").status == 400)
    }

    @Test func theReportDownloadsAreTheAPIsFigures() async throws {
        let daemon = try await Self.acknowledgedIncident()
        defer { daemon.stop() }
        let reviewer = ConsoleVisitor(daemon)
        await reviewer.signIn("token-grace")
        #expect(await reviewer.get("/review").text.contains("href=\"/review/report?from=2026-12-17&amp;to=2027-01-16&amp;format=json\" download"))
        let download = await reviewer.get("/review/report?from=2026-12-17&to=2027-01-16&format=json")
        #expect(download.status == 200)
        #expect(download.headers["content-disposition"] == "attachment; filename=\"response-2026-12-17-2027-01-16.json\"")
        let api = await daemon.request("GET", "/api/v1/reports/response?from=2026-12-17&to=2027-01-16", token: "token-grace")
        #expect(download.body == api.body)
        let text = await reviewer.get("/review/report?from=2026-12-17&to=2027-01-16&format=text")
        #expect(text.text.contains("payments-core") && text.headers["content-type"] == "text/plain; charset=utf-8")
    }

    @Test func anExportIsAFormThatPostsAndIsRecordedOnTheIncident() async throws {
        let daemon = try await Self.acknowledgedIncident()
        defer { daemon.stop() }
        let reviewer = ConsoleVisitor(daemon)
        await reviewer.signIn("token-grace")
        let page = await reviewer.get("/review").text
        #expect(page.contains("<form class=\"export\" method=\"post\" action=\"/incidents/1/export\">"))
        #expect(page.contains("#1</a> Card &lt;i&gt;auth&lt;/i&gt; failing"))
        let before = try databaseSnapshot(daemon.databasePath)
        #expect(await reviewer.get("/incidents/1/export").status != 200, "no export on a GET")
        #expect(await reviewer.post("/incidents/1/export", ["format": "csv"], csrf: "guessed").status == 403)
        #expect(await reviewer.post("/incidents/1/export", ["format": "pdf"]).status == 400)
        #expect(try databaseSnapshot(daemon.databasePath) == before)

        let export = await reviewer.post("/incidents/1/export", ["format": "csv"])
        #expect(export.status == 200)
        #expect(export.headers["content-disposition"] == "attachment; filename=\"incident-1.csv\"")
        #expect(export.text.contains("acknowledged"))
        let recorded = try #require(try daemon.events(.exported).first)
        #expect(recorded.actor == "grace.ho" && recorded.detail["format"] == "csv")
    }
}
