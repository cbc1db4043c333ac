import Foundation

extension IncidentExport {
    /// The export as Markdown: facts, figures, stages, timeline, pages, updates, checklist.
    var markdown: String {
        func table(_ header: [String], _ rows: [[String]]) -> [String] {
            let escape = { (cell: String) in cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
            return ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
                + rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
        }
        var lines = ["# Incident \(incident.id): \(incident.title)", "",
                     "Exported \(UTCTime.string(exportedAt)) by \(exportedBy); local times in \(timeZone).", ""]
        lines += table(["Fact", "Value"], factRows.map { [$0.0, $0.1] }) + [""]
        lines += ["## Response times", ""] + table(["Indicator", "Value"], figureRows.map { [$0.0, $0.1] }) + [""]
        lines += ["## Stages", ""] + table(["Stage", "Entered (UTC)", "Left (UTC)", "Duration"], stages.map {
            [$0.stage.rawValue, UTCTime.string($0.enteredAt), $0.leftAt.map(UTCTime.string) ?? "–", DurationWords.text($0.duration)]
        }) + [""]
        // Acts lead; the page deliveries after each are folded into its row (every event is in the JSON export).
        lines += ["## Timeline", ""] + table(["#", "Time (UTC)", "Local time", "Event", "Actor", "Role", "Detail", "Page deliveries"],
                                             FoldedTimeline(events).entries.map { entry in
            let event = entry.event
            return [String(event.sequence), UTCTime.string(event.at), event.localTime, event.kind.rawValue, event.actor, event.actorRoles.joined(separator: ", "),
                    event.detail.keys.sorted().map { "\($0): \(event.detail[$0]!)" }.joined(separator: "; "), entry.summary ?? ""]
        }) + [""]
        lines += ["## Pages", ""] + table(["Person", "Channel", "Purpose", "Queued (UTC)", "Attempts", "Outcome", "Last answer"], pages.map {
            [$0.person, $0.channel, $0.purpose, UTCTime.string($0.queuedAt), String($0.attempts), $0.outcome, $0.lastStatus ?? $0.lastError ?? "–"]
        }) + [""]
        lines += ["## Updates", ""] + table(["Cadence", "On time", "Late", "Missed"], updates.map {
            [$0.kind.rawValue, String($0.onTime), String($0.late), String($0.missed)]
        }) + [""]
        if !checklist.isEmpty {
            lines += ["## Runbook checklist", ""] + checklist.map { "- [\($0.doneBy == nil ? " " : "x")] \($0.step). \($0.text)\($0.doneBy.map { " (\($0))" } ?? "")" } + [""]
        }
        lines.append("Last event hash: `\(events.last?.hash ?? TimelineEvent.genesisHash)`")
        return lines.joined(separator: "\n") + "\n"
    }
}
