import Foundation

/// The side-by-side results, written as Markdown.
struct ResultTable {
    private var rows: [(measure: String, tocsin: String, postgres: String, alertmanager: String)] = []

    /// `postgres` is the figure of three tocsind on one PostgreSQL database, where measured.
    mutating func add(_ measure: String, tocsin: String, postgres: String = "–", alertmanager: String) {
        rows.append((measure, tocsin, postgres, alertmanager))
        FileHandle.standardError.write(Data("  \(measure): Tocsin \(tocsin) | 3 on PostgreSQL \(postgres) | Alertmanager \(alertmanager)\n".utf8))
    }

    func markdown(cores: Int, alertmanagerVersion: String) -> String {
        var lines = [
            "Machine: \(cores) cores, \(ProcessInfo.processInfo.physicalMemory / (1 << 30)) GiB; tocsind release build; \(alertmanagerVersion).",
            "",
            "| measure | tocsind (SQLite) | 3 tocsind on PostgreSQL | Alertmanager |",
            "|---|---|---|---|",
        ]
        lines += rows.map { "| \($0.measure) | \($0.tocsin) | \($0.postgres) | \($0.alertmanager) |" }
        return lines.joined(separator: "\n") + "\n"
    }
}
