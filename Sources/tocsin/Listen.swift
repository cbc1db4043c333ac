import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TocsinHTTP

/// `tocsin listen`
struct Listen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive pages on a local webhook and print each one.",
        discussion: "The sample Contacts/ point every person's webhook at http://127.0.0.1:9099/PERSON, so this shows every page without any outside service."
    )

    @Option(help: "Port to listen on (127.0.0.1 only).")
    var port = 9099

    func run() async throws {
        var logger = Logger(label: "tocsin.listen")
        logger.logLevel = .warning
        let listener = PageListener { page in
            let json = page.json
            let time = ISO8601DateFormatter().string(from: page.arrivedAt)
            var lines: [String]
            if let text = json["text"] as? String ?? (json.isEmpty ? String(data: page.body, encoding: .utf8) : nil) {
                // A Slack-style or SMS page: the text as the person reads it.
                lines = ["[\(time)] \(page.path): \(text)"]
            } else if json["bundle"] as? Bool == true {
                let pages = json["pages"] as? [[String: Any]] ?? []
                lines = ["[\(time)] bundle of \(pages.count) pages for \(page.path): incidents \(pages.compactMap { $0["incident_id"] as? Int }.map(String.init).joined(separator: ", "))"]
            } else {
                lines = ["[\(time)] page for \(json["person"] as? String ?? page.path): incident \(json["incident_id"] ?? "?") \(json["severity"] as? String ?? "") \(json["summary"] as? String ?? "")"]
            }
            if let runbook = json["runbook"] as? [String: Any] { lines.append("    runbook: \(runbook["title"] as? String ?? "?")") }
            if let link = json["acknowledge_url"] as? String { lines.append("    acknowledge: \(link)") }
            lines.append("    idempotency key: \(page.idempotencyKey ?? "-")")
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        let app = listener.application(port: port, logger: logger) { port in
            FileHandle.standardOutput.write(Data("Listening for pages on http://127.0.0.1:\(port)/ (Ctrl-C to stop)\n".utf8))
        }
        try await app.runService()
    }
}
