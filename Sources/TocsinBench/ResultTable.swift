import Foundation

/// The side-by-side results, written as Markdown.
struct ResultTable {
    private var rows: [(String, String, String)] = []

    mutating func add(_ measure: String, tocsin: String, alertmanager: String) {
        rows.append((measure, tocsin, alertmanager))
        FileHandle.standardError.write(Data("  \(measure): Tocsin \(tocsin) | Alertmanager \(alertmanager)\n".utf8))
    }

    func markdown(cores: Int, alertmanagerVersion: String) -> String {
        var lines = [
            "Machine: \(cores) cores, \(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB; tocsind release build; \(alertmanagerVersion).",
            "",
            "| measure | tocsind | Alertmanager |",
            "|---|---|---|",
        ]
        lines += rows.map { "| \($0.0) | \($0.1) | \($0.2) |" }
        return lines.joined(separator: "\n") + "\n"
    }
}
