import Foundation

extension DrillScorecard {
    /// The scorecard as titled tables, shared by every rendering (the console's too).
    public var sections: [(title: String, header: [String], rows: [[String]])] {
        func verdict(_ met: Bool) -> String { met ? "met" : "missed" }
        return [
            ("Time to acknowledge per role", ["Role", "Person", "After", "Target", "Result"], acknowledgements.map {
                [$0.role.rawValue, $0.person ?? "nobody", DurationWords.text($0.after), DurationWords.text($0.target), $0.after == nil ? "no response" : verdict($0.met)]
            }),
            ("Time to each stage", ["Stage", "After", "At", "By"], stages.map {
                [$0.stage.rawValue, DurationWords.text($0.after), UTCTime.string($0.at), $0.by]
            }),
            ("Deadlines", ["Deadline", "Target", "Done after", "Result"], deadlines.map {
                [$0.name, DurationWords.text($0.target), DurationWords.text($0.doneAfter), $0.doneAfter == nil ? "not done" : verdict($0.met)]
            }),
            ("Updates per cadence", ["Update", "Every", "Posted", "On time", "Late", "Missed"], updates.map {
                [$0.kind.rawValue, DurationWords.text($0.every), "\($0.posted)", "\($0.onTime)", "\($0.late)", "\($0.missed)"]
            }),
            ("Gates refused", ["At", "By", "Command", "Why"], gatesRefused.map {
                [UTCTime.string($0.at), $0.by, $0.action, $0.reason]
            }),
            ("Runbook checklist" + (checklistCompletion.map { String(format: " (%.0f%% done)", $0 * 100) } ?? ""), ["Step", "Text", "Done by", "At"], checklist.map {
                ["\($0.step)", $0.text, $0.doneBy ?? "not done", $0.doneAt.map(UTCTime.string) ?? "–"]
            }),
            ("Who did what", ["Person", "Recorded"], people.map {
                [$0.person, $0.did.sorted { $0.key < $1.key }.map { $0.value > 1 ? "\($0.key) ×\($0.value)" : $0.key }.joined(separator: ", ")]
            }),
        ]
    }

    private var heading: String {
        "Drill \(incidentID): \(title)" + (runbook.map { " (runbook \($0))" } ?? "")
    }

    public var span: String {
        "Opened \(UTCTime.string(openedAt))" + (closedAt.map { ", closed \(UTCTime.string($0)) after \(DurationWords.text($0.timeIntervalSince(openedAt)))" } ?? ", not closed yet")
    }

    /// For the terminal.
    public var text: String {
        "\(heading)\n\(span)\n\n" + sections.map { section in
            "\(section.title.uppercased())\n" + (section.rows.isEmpty ? "none" : TextTable(header: section.header.map { $0.uppercased() }, rows: section.rows).text)
        }.joined(separator: "\n\n") + "\n"
    }

    public var markdown: String {
        func cell(_ text: String) -> String { MarkdownText.cell(text) }
        return "# \(MarkdownText.inline(heading))\n\n\(span).\n\n" + sections.map { section in
            var out = "## \(section.title)\n\n"
            guard !section.rows.isEmpty else { return out + "None.\n" }
            out += "| " + section.header.joined(separator: " | ") + " |\n|" + section.header.map { _ in " --- |" }.joined() + "\n"
            out += section.rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
            return out
        }.joined(separator: "\n")
    }

    public var html: String {
        let body = sections.map { section in
            "<h2>\(HTMLText.escape(section.title))</h2>\n" + (section.rows.isEmpty ? "<p>None.</p>" : HTMLText.table(section.header, section.rows))
        }.joined(separator: "\n")
        return HTMLText.page(title: heading, body: "<h1>\(HTMLText.escape(heading))</h1>\n<p>\(HTMLText.escape(span)).</p>\n\(body)")
    }
}

/// Text written into Markdown: table cells and headings that cannot break the document.
enum MarkdownText {
    static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// Standalone HTML pages of the drill reports, every recorded word escaped.
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
            + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font: 11pt/1.4 system-ui, "DejaVu Sans", sans-serif; max-width: 60em; margin: 2em auto; color: #111; }
        table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
        th { background: #eee; }
        </style></head><body>
        \(body)
        </body></html>
        """
    }
}
