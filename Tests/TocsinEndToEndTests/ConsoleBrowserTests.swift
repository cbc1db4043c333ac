import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// The console in a real browser: Debian's `chromium` through `chromium-driver`, driven by
/// PyPI's `selenium` (Tests/ConsoleBrowser/console_browser.py) against an in-process daemon
/// whose incident carries script and markup in its alert's summary and labels. The script
/// signs in, reads the list and the incident, acknowledges, sees a note arrive live, and has
/// an advance refused; its screenshots are kept in a temporary folder named in the output.
@Suite struct ConsoleBrowserTests {
    static let summary = "<script>alert('summary')</script><img src=x onerror=alert('img')> Card auth failing"
    static let label = "\"><svg onload=alert('label')>"

    /// A Python interpreter with selenium: `$TOCSIN_PYTHON`, else the first `python3` on the PATH, else Debian's.
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
            if try ChildProcess.run(candidate, ["-c", "import selenium.webdriver"]).status == 0 { return candidate }
        }
        throw HarnessFailure("no python3 with PyPI's `selenium`; `make test-deps` installs it (tried \(candidates.joined(separator: ", ")))")
    }

    @Test func signInReadAcknowledgeFollowLiveAndSeeARefusalInChromium() async throws {
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

        let shots = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-console-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let script = TocsinBuild.repository.appendingPathComponent("Tests/ConsoleBrowser/console_browser.py")
        let run = try RunningProgram("console browser", executable: python,
                                     arguments: [script.path, daemon.baseURL, "token-chen", shots.path, Self.summary, Self.label],
                                     logFile: shots.appendingPathComponent("browser.log"))
        let status = try await run.exitStatus(within: .seconds(120))
        let output = run.logTail(lines: 60)
        #expect(status == 0, "the browser script failed:\n\(output)")
        #expect(!output.contains("FAIL"))

        let timeline = try daemon.engine.store.timeline(1)
        let acknowledged = try #require(timeline.first { $0.kind == .acknowledged })
        #expect(acknowledged.actor == "chen.wei" && acknowledged.detail["via"] == "console")
        #expect(timeline.contains { $0.kind == .noteAdded && $0.detail["text"] == "Acquirer confirms <b>timeouts</b>" })
        #expect(try daemon.engine.store.incident(1).stage == .assessing, "the refused advance left the incident in assessing")
        for name in ["1-sign-in", "2-incidents", "3-incident", "4-acknowledged-live", "5-refused"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: shots.appendingPathComponent("\(name).png").path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "screenshot \(name).png")
        }
        print("Console in Chromium (\(python)): screenshots in \(shots.path)")
    }
}
