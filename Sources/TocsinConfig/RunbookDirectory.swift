import Foundation
import TocsinCore

/// Reads every `Runbooks/*.md`: a YAML header between `---` lines, then Markdown.
///
/// The header holds `id`, `title`, `match` (label → value), `pre_authorized` and `steps`.
enum RunbookDirectory {
    static func load(folder: String) throws -> [Runbook] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw ConfigError(file: folder, key: "", problem: "runbook folder not found")
        }
        var runbooks: [Runbook] = []
        for name in names.sorted() where name.hasSuffix(".md") && name != "README.md" {
            let file = "\(folder)/\(name)"
            let runbook = try parse(file: file)
            if runbooks.contains(where: { $0.id == runbook.id }) {
                throw ConfigError(file: file, key: "id", problem: "runbook id \"\(runbook.id)\" is used by another file")
            }
            runbooks.append(runbook)
        }
        return runbooks
    }

    static func parse(file: String) throws -> Runbook {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError(file: file, key: "", problem: "cannot read the file")
        }
        let lines = text.components(separatedBy: "\n")
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
              let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw ConfigError(file: file, key: "", problem: "a runbook starts with a YAML header between two `---` lines")
        }
        let header = try ConfigNode.parse(lines[1..<end].joined(separator: "\n"), file: file)
            .allowingOnly(["id", "title", "match", "pre_authorized", "steps"])
        var matchers: [String: String] = [:]
        for (key, value) in try header["match"].entries() { matchers[key] = try value.string() }
        guard !matchers.isEmpty else { throw header["match"].error("missing; a runbook must say which alerts it matches") }
        let steps = try header["steps"].items().map { try $0.string() }
        guard !steps.isEmpty else { throw header["steps"].error("missing; list the runbook's steps") }
        return Runbook(
            id: try header["id"].string(),
            title: try header["title"].string(),
            matchers: matchers,
            preAuthorized: try header["pre_authorized"].bool(default: false),
            steps: steps,
            body: lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}
