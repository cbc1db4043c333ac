import Foundation
import Testing
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// The incidents list: who is being paged now, and the live stream that brings new incidents
/// and changed rows to an open list, read by a plain SSE reader as a browser's EventSource would.
@Suite struct ConsoleListTests {
    /// Reads `/live/incidents` with a session cookie and an optional `Last-Event-ID`, printing every line.
    static let reader = """
        import sys, urllib.request
        url, cookie, last = sys.argv[1:4]
        headers = {"Cookie": cookie, "Accept": "text/event-stream"}
        if last: headers["Last-Event-ID"] = last
        stream = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60)
        for line in stream:
            print(line.decode().rstrip("\\n"), flush=True)
        """

    static func alert(_ key: String, _ summary: String, at: Date) -> String {
        #"{"source":"prometheus","dedup_key":"\#(key)","summary":"\#(summary)","service":"payments-core","labels":{"urgency":"high"},"starts_at":"\#(UTCTime.string(at))"}"#
    }

    func follow(_ daemon: TestDaemon, _ visitor: ConsoleVisitor, path: String = "/live/incidents", lastEventID: String = "") async throws -> RunningProgram {
        let python = try await ConsoleBrowserTests.pythonWithSelenium()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-list-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("read_list.py")
        try Self.reader.write(to: script, atomically: true, encoding: .utf8)
        let reader = try RunningProgram("live list reader", executable: python,
                                        arguments: [script.path, daemon.baseURL + path, visitor.sessionCookie ?? "", lastEventID],
                                        logFile: folder.appendingPathComponent("reader.log"))
        try await Polling.until("the live list has started", limit: .seconds(20), state: { reader.status() }) {
            try reader.requireRunning()
            return reader.output.contains("retry: 2000")
        }
        return reader
    }

    @Test func liveStreamsEndCleanlyWhenTheRecordCannotBeReadAndTheDaemonServesOn() async throws {
        let server = try await ScratchPostgres.started()
        defer { server.stop() }
        let daemon = try await TestDaemon(backend: .postgres, postgres: TestPostgres.Server(server))
        defer { daemon.stop() }
        #expect(await daemon.postAlert(Self.alert("card-auth", "Card auth failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let timeline = try await follow(daemon, visitor, path: "/incidents/1/live")
        let list = try await follow(daemon, visitor)

        // The database goes away under both streams: each ends, and tocsind goes on serving.
        try await server.kill()
        try await Polling.until("both streams have ended", limit: .seconds(30), state: { "\(timeline.status())\n\(list.status())" }) {
            !timeline.isRunning && !list.isRunning
        }
        #expect(await daemon.request("GET", "/healthz", token: nil).status == 200)
        #expect(await daemon.request("GET", "/readyz", token: nil).status == 503)
    }

    @Test func eachRowShowsWhoIsBeingPagedUntilSomeoneAcknowledges() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        #expect(await daemon.postAlert(Self.alert("card-auth", "Card auth failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let list = await visitor.get("/").text
        #expect(list.contains("<th scope=\"col\">Being paged</th>"))
        #expect(list.contains("<td><span class=\"paging\">chen.wei</span></td>"), "level 1 pages the commander")

        await daemon.advance(by: 300)
        let escalated = await visitor.get("/").text
        #expect(escalated.contains("<td><span class=\"paging\">priya.raman</span></td>"), "level 2 pages the backup once level 1 is not answered")

        #expect(await visitor.post("/incidents/1/ack").status == 303)
        let acknowledged = await visitor.get("/").text
        #expect(acknowledged.contains("<td><span class=\"quiet\">nobody</span></td>"))
        #expect(!acknowledged.contains("<span class=\"paging\">"))
    }

    @Test func aNewIncidentAndAChangedRowReachAnOpenListAndAReconnectionCatchesUp() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        #expect(await daemon.postAlert(Self.alert("card-auth", "Card auth failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        let visitor = ConsoleVisitor(daemon)
        #expect(await visitor.get("/live/incidents").status == 401, "the stream is for people signed in")
        await visitor.signIn("token-chen")
        #expect(await visitor.get("/").text.contains("id=\"open-incidents\" data-last=\"1\""))

        let reader = try await follow(daemon, visitor, lastEventID: "1")
        defer { reader.stop() }
        try await Polling.until("the open row is sent at the start", limit: .seconds(20), state: { reader.output }) {
            reader.output.contains("data: <tr id=\"incident-1\">")
        }
        #expect(await daemon.postAlert(Self.alert("wallet", "Wallet <b>top-ups</b> failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        try await Polling.until("incident 2 reaches the open list", limit: .seconds(20), state: { reader.output }) {
            reader.output.contains("id: 2\nevent: row\ndata: <tr id=\"incident-2\">")
        }
        #expect(reader.output.contains("Wallet &lt;b&gt;top-ups&lt;/b&gt; failing"), "the row is escaped as the page renders it")

        #expect(await visitor.post("/incidents/1/ack").status == 303)
        try await Polling.until("the acknowledged row is replaced", limit: .seconds(20), state: { reader.output }) {
            reader.output.contains("<span class=\"ack yes\">by chen.wei")
        }

        let resumed = try await follow(daemon, visitor, lastEventID: "1")
        defer { resumed.stop() }
        try await Polling.until("a reconnection from incident 1 gets incident 2", limit: .seconds(20), state: { resumed.output }) {
            resumed.output.contains("<tr id=\"incident-2\">")
        }
    }
}
