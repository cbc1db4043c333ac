import Foundation
import Testing
import TocsinPager
import TocsinTestSupport

/// An open war room must not hold `tocsind` up: the real binary, asked to stop (SIGTERM) while
/// a browser follows an incident's live timeline and the live incidents list, ends both streams
/// and exits at once.
@Suite struct ConsoleShutdownTests {
    /// Follows the live timeline as a browser's EventSource does; prints the first line, then `ended` at the end of the stream.
    static let follower = """
        import sys, urllib.request
        url, cookie = sys.argv[1:3]
        stream = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie, "Accept": "text/event-stream"}), timeout=60)
        print(stream.readline().decode().strip(), flush=True)
        stream.read()
        print("ended", flush=True)
        """

    @Test func stoppingTocsindEndsOpenLiveTimelinesAndExits() async throws {
        let python = try await onOwnThread(MonitoringStack.pythonWithPagerDutyClient)
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: try LoopbackPort.free())
        let daemon = try TocsindDaemon(folder)
        defer {
            daemon.stop()
            folder.remove()
        }
        try await daemon.waitUntilServing()
        let alert = #"{"source":"prometheus","dedup_key":"pay-5xx","summary":"Payment API 5xx","service":"payments-core","labels":{"urgency":"high"},"starts_at":"2026-12-04T04:00:00Z"}"#
        #expect(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)

        let form = await HTTPTransfer(url: daemon.baseURL + "/sign-in").sendPatiently()
        let formCookie = String((form.headers["set-cookie"] ?? "").prefix { $0 != ";" })
        let page = String(decoding: form.body, as: UTF8.self)
        let csrfStart = try #require(page.range(of: "name=\"csrf\" value=\""))
        let csrf = String(page[csrfStart.upperBound...].prefix { $0 != "\"" })
        let signedIn = await HTTPTransfer(method: "POST", url: daemon.baseURL + "/sign-in",
                                          headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": formCookie],
                                          body: Data("token=demo-chen-wei-token&csrf=\(csrf)".utf8)).sendPatiently()
        let session = String(try #require(signedIn.headers["set-cookie"]).prefix { $0 != ";" })
        #expect(session.hasPrefix("tocsin_session="))

        let script = folder.root.appendingPathComponent("follow_live.py")
        try Self.follower.write(to: script, atomically: true, encoding: .utf8)
        let browser = try RunningProgram("live timeline follower", executable: python, arguments: [script.path, daemon.baseURL + "/incidents/1/live", session],
                                         logFile: folder.root.appendingPathComponent("follow-live.log"))
        defer { browser.stop() }
        let list = try RunningProgram("live list follower", executable: python, arguments: [script.path, daemon.baseURL + "/live/incidents", session],
                                      logFile: folder.root.appendingPathComponent("follow-list.log"))
        defer { list.stop() }
        for follower in [browser, list] {
            try await Polling.until("the live stream has started", limit: .seconds(20), state: { follower.status() }) {
                try follower.requireRunning()
                return follower.output.contains("retry: 2000")
            }
        }

        daemon.program.process.signal(SIGTERM)
        #expect(try await daemon.program.exitStatus(within: .seconds(10)) == 0, "tocsind exits with a live timeline and a live list open")
        for follower in [browser, list] {
            #expect(try await follower.exitStatus(within: .seconds(10)) == 0)
            #expect(follower.output.contains("ended"), "the stream was ended, not cut: \(follower.output)")
        }
    }
}
