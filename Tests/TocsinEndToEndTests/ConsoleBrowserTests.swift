import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// The console in a real browser: Debian's `chromium` through `chromium-driver`, driven by
/// PyPI's `selenium` (Tests/ConsoleBrowser/console_browser.py) against an in-process daemon
/// whose incident carries script and markup in its alert's summary and labels. The script
/// signs in, sees a second incident arrive on the list live, acknowledges, sees a note
/// arrive live, has an advance refused, proposes stopping trading and sees a second
/// person's approval, from a second browser session, reach its timeline without a reload;
/// it makes and ends a silence and reads the review page; on a long timeline it loads the
/// older entries in place and still sees a new note arrive. axe-core audits every page. Its
/// screenshots are kept in a temporary folder named in the output.
@Suite struct ConsoleBrowserTests {
    static let summary = "<script>alert('summary')</script><img src=x onerror=alert('img')> Card auth failing"
    static let label = "\"><svg onload=alert('label')>"
    static let note = "<script>alert('note')</script> Acquirer confirms <b>timeouts</b> & <i>retries</i>"
    static let liveSummary = "<img src=x onerror=alert('live')> Wallet top-ups failing"

    /// A Python interpreter with selenium and axe-selenium-python: `$TOCSIN_PYTHON`, else the first `python3` on the PATH, else Debian's.
    /// Each candidate is tried on a thread of its own, so the in-process servers are not stalled meanwhile.
    static func pythonWithSelenium() async throws -> String {
        try await onOwnThread(findPythonWithSelenium)
    }

    private static func findPythonWithSelenium() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var candidates = environment["TOCSIN_PYTHON"].map { [$0] } ?? []
        candidates += (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        candidates.append("/usr/bin/python3")
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if try ChildProcess.run(candidate, ["-c", "import selenium.webdriver, axe_selenium_python"]).status == 0 { return candidate }
        }
        throw HarnessFailure("no python3 with PyPI's `selenium` and `axe-selenium-python`; `make test-deps` installs them (tried \(candidates.joined(separator: ", ")))")
    }

    @Test func aWholeIncidentWalkedThroughInChromiumWithEveryPageAccessible() async throws {
        let python = try await Self.pythonWithSelenium()
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let alert: [String: Any] = [
            "source": "prometheus", "dedup_key": "card-auth", "summary": Self.summary, "service": "payments-core",
            "labels": ["urgency": "high", "scenario": "total_outage", "team": Self.label], "status": "firing",
            "starts_at": UTCTime.string(daemon.clock.now()),
        ]
        #expect(await daemon.postAlert(String(decoding: try JSONSerialization.data(withJSONObject: alert), as: UTF8.self)).status == 202)
        await daemon.runDue()
        let settlement = #"{"source":"prometheus","dedup_key":"settlement","summary":"Settlement batch late","service":"settlement","labels":{"urgency":"high"}}"#
        #expect(await daemon.postAlert(settlement).status == 202)
        await daemon.runDue()
        await daemon.advance(by: 240)
        #expect(await daemon.request("POST", "/api/v1/incidents/2/ack", token: "token-priya").status == 200)
        // Incident 2's timeline outgrows the page's window, for loading older entries in place.
        for entry in 1...230 {
            _ = try await daemon.engine.perform(.note("Settlement file \(entry) checked"), on: 2, by: "priya.raman")
        }

        let shots = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-console-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let script = TocsinBuild.repository.appendingPathComponent("Tests/ConsoleBrowser/console_browser.py")
        let run = try RunningProgram("console browser", executable: python,
                                     arguments: [script.path, daemon.baseURL, shots.path, Self.summary, Self.label, Self.note, Self.liveSummary],
                                     logFile: shots.appendingPathComponent("browser.log"))
        let status = try await run.exitStatus(within: .seconds(240))
        let output = run.logTail(lines: 60)
        #expect(status == 0, "the browser script failed:\n\(output)")
        #expect(!output.contains("FAIL"))

        let timeline = try daemon.engine.store.timeline(1)
        let acknowledged = try #require(timeline.first { $0.kind == .acknowledged })
        #expect(acknowledged.actor == "chen.wei" && acknowledged.detail["via"] == "console")
        #expect(timeline.contains { $0.kind == .noteAdded && $0.detail["text"] == Self.note })
        #expect(timeline.first { $0.kind == .stopTradingProposed }?.actor == "chen.wei")
        #expect(timeline.first { $0.kind == .stopTradingApproved }?.actor == "li.na")
        #expect(try daemon.engine.store.incident(1).stage == .tradingStopped)
        #expect(try daemon.engine.store.incident(3).title == Self.liveSummary)
        #expect(try daemon.engine.store.silence(1).expiredBy == "chen.wei")
        for name in ["1-sign-in", "2-incidents-live", "3-incident", "4-acknowledged-live", "5-refused", "6-second-session-approved",
                     "7-commander-live", "8-on-call", "9-review", "10-older-entries"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: shots.appendingPathComponent("\(name).png").path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "screenshot \(name).png")
        }
        print("Console in Chromium (\(python)): screenshots in \(shots.path)")
    }
}
