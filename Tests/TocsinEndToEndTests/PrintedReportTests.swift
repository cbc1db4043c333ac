import Foundation
import Testing
import TocsinCore
import TocsinTestSupport

/// The HTML export printed to PDF by a real headless Chromium, then read back as text.
@Suite struct PrintedReportTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func htmlExportPrintsToReadableA4Pages() async throws {
        let chromium = try #require(Self.chromium, "chromium is installed by `make test`'s dependencies")
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await TotalOutageDrill.run(daemon)
        let html = await daemon.request("POST", "/api/v1/incidents/1/export?format=html&tz=Asia/Shanghai", token: "token-grace")
        let page = daemon.folder.appendingPathComponent("incident-1.html")
        let pdf = daemon.folder.appendingPathComponent("incident-1.pdf")
        try html.body.write(to: page)

        let printed = try await ChildProcess.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                         "--user-data-dir=\(daemon.folder.appendingPathComponent("chromium").path)",
                                         "--print-to-pdf=\(pdf.path)", page.absoluteString])
        #expect(printed.status == 0)
        let info = try await ChildProcess.run("/usr/bin/pdfinfo", [pdf.path]).output
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        #expect((2...12).contains(pages), "a whole incident fits a few pages: \(pages)")
        #expect(info.contains("(A4)"), "A4 paper: \(info)")
        try? FileManager.default.removeItem(atPath: "/tmp/tocsin-printed-report.pdf")
        try? FileManager.default.copyItem(at: pdf, to: URL(fileURLWithPath: "/tmp/tocsin-printed-report.pdf"))
        let text = try await ChildProcess.run("/usr/bin/pdftotext", ["-layout", pdf.path, "-"]).output
        for phrase in ["Incident 1: Payment API 5xx above 20%", "Time to recover", "12m 00s", "ledger primary storage controller failed",
                       "stop_trading_approved", "Runbook checklist", "Hash chain"] {
            #expect(text.contains(phrase), "the printed report lacks \(phrase)")
        }
    }
}
