import Foundation
import Testing
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// An open page hears of a commit at once: the live timeline and the live list read the record
/// when the store commits, not on a timer. Nothing else makes a stream on SQLite read the
/// record before its keep-alive comment (`EventStream.keepAlive`, 15 s), so what arrives well
/// within that came because the commit was announced.
@Suite struct ConsoleLiveTimelineTests {
    static let announced: Duration = .seconds(10)

    @Test func aNoteCommittedThroughTheAPIReachesAnOpenTimelineWithoutAPoll() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        #expect(await daemon.postAlert(ConsoleListTests.alert("card-auth", "Card auth failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let page = await visitor.get("/incidents/1").text
        let last = try #require(page.range(of: "id=\"timeline\" data-last=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })

        let timeline = try await ConsoleListTests().follow(daemon, visitor, path: "/incidents/1/live", lastEventID: last)
        defer { timeline.stop() }
        let note = #"{"text": "Switch <i>B</i> restarted"}"#
        #expect(await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-chen", body: note).status == 200)
        try await Polling.until("the note reaches the open timeline", limit: Self.announced, every: .milliseconds(20), state: { timeline.output }) {
            timeline.output.contains("Switch &lt;i&gt;B&lt;/i&gt; restarted")
        }
        let sent = timeline.output.components(separatedBy: "\n").filter { $0.hasPrefix("id: ") }
        #expect(sent == ["id: \(Int(last)! + 1)"], "only the new event is sent, once")
    }

    @Test func anAcknowledgementAndANewIncidentReachAnOpenListWithoutAPoll() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        #expect(await daemon.postAlert(ConsoleListTests.alert("card-auth", "Card auth failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let list = try await ConsoleListTests().follow(daemon, visitor, lastEventID: "1")
        defer { list.stop() }
        try await Polling.until("the open row is sent at the start", limit: .seconds(20), state: { list.output }) {
            list.output.contains("data: <tr id=\"incident-1\">")
        }

        #expect(await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen").status == 200)
        try await Polling.until("the acknowledged row is replaced", limit: Self.announced, every: .milliseconds(20), state: { list.output }) {
            list.output.contains("<span class=\"ack yes\">by chen.wei")
        }
        #expect(await daemon.postAlert(ConsoleListTests.alert("wallet", "Wallet top-ups failing", at: daemon.clock.now())).status == 202)
        try await Polling.until("incident 2 reaches the open list", limit: Self.announced, every: .milliseconds(20), state: { list.output }) {
            list.output.contains("data: <tr id=\"incident-2\">")
        }
    }
}
