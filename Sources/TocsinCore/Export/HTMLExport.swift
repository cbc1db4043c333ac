import Foundation

extension IncidentExport {
    /// A report that reads well on screen and on A4 paper: facts and figures first, then the
    /// stages, the timeline, pages, updates and checklist, each table kept whole where it fits.
    var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func table(_ header: [String], _ rows: [[String]], _ className: String = "") -> String {
            "<table class=\"\(className)\"><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
                + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "</tbody></table>"
        }
        let facts = "<dl class=\"facts\">" + factRows.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>" }.joined() + "</dl>"
        let figures = "<div class=\"figures\">" + figureRows.map { "<div><span>\(escape($0.1))</span>\(escape($0.0))</div>" }.joined() + "</div>"
        let stagesTable = table(["Stage", "Entered (UTC)", "Left (UTC)", "Duration"], stages.map {
            [$0.stage.rawValue, UTCTime.string($0.enteredAt), $0.leftAt.map(UTCTime.string) ?? "–", DurationWords.text($0.duration)]
        })
        let timeline = timelineTable(escape)
        let pagesTable = table(["Person", "Channel", "Purpose", "Queued (UTC)", "Attempts", "Outcome", "Last answer"], pages.map {
            [$0.person, $0.channel, $0.purpose, UTCTime.string($0.queuedAt), String($0.attempts), $0.outcome, $0.lastStatus ?? $0.lastError ?? "–"]
        })
        let updatesTable = table(["Cadence", "On time", "Late", "Missed"], updates.map { [$0.kind.rawValue, String($0.onTime), String($0.late), String($0.missed)] })
        let checklistHTML = checklist.isEmpty ? "" : "<h2>Runbook checklist</h2><ul class=\"checklist\">" + checklist.map {
            "<li>\($0.doneBy == nil ? "☐" : "☑") \($0.step). \(escape($0.text))\($0.doneBy.map { " <em>(\(escape($0)))</em>" } ?? "")</li>"
        }.joined() + "</ul>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Incident \(incident.id): \(escape(incident.title))</title>
            <style>
            @page { size: A4; margin: 16mm 14mm; }
            body { font: 10.5pt/1.4 "DejaVu Sans", system-ui, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; }
            h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
            .meta { color: #555; font-size: 9pt; }
            .facts { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 4mm 0; }
            .facts dt { font-weight: bold; } .facts dd { margin: 0; }
            .figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0; }
            .figures div { border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 3mm; min-width: 30mm; font-size: 8.5pt; color: #444; }
            .figures span { display: block; font-size: 14pt; font-weight: bold; color: #111; }
            table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 2mm 0; }
            th, td { border: 1px solid #ccc; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
            thead { display: table-header-group; } tr { break-inside: avoid; } th { background: #eee; }
            table.timeline { table-layout: fixed; font-size: 8pt; }
            table.timeline col.n { width: 7mm; } table.timeline col.t { width: 25mm; } table.timeline col.k { width: 38mm; } table.timeline col.a { width: 28mm; }
            table.timeline td.k { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
            table.timeline small { color: #555; display: block; }
            table.timeline tr.day td { background: #f4f4f4; font-weight: bold; }
            .hash { font: 7.5pt monospace; color: #555; overflow-wrap: anywhere; }
            </style></head><body>
            <h1>Incident \(incident.id): \(escape(incident.title))</h1>
            <p class="meta">Exported \(UTCTime.string(exportedAt)) by \(escape(exportedBy)). Times in UTC; local times in \(escape(timeZone)).</p>
            \(facts)
            <h2>Response times</h2>\(figures)
            <h2>Stages</h2>\(stagesTable)
            <h2>Timeline</h2>\(timeline)
            <h2>Pages and notices</h2>\(pagesTable)
            <h2>Updates</h2>\(updatesTable)
            \(checklistHTML)
            <p class="hash">Hash chain: \(events.count) events; last hash \(events.last?.hash ?? TimelineEvent.genesisHash)</p>
            </body></html>
            """
    }

    /// The timeline with times stacked (UTC above the viewer's local time) and a row for each new
    /// day; the page deliveries after each act folded under it.
    private func timelineTable(_ escape: (String) -> String) -> String {
        var rows: [String] = []
        var day = ""
        for entry in FoldedTimeline(events).entries {
            let event = entry.event
            let utc = UTCTime.string(event.at)
            let date = String(utc.prefix(10))
            if date != day {
                day = date
                rows.append("<tr class=\"day\"><td colspan=\"5\">\(date) (UTC)</td></tr>")
            }
            let time = String(utc.dropFirst(11).dropLast())
            let local = event.localTime.split(separator: " ").dropFirst().joined(separator: " ")
            let roles = event.actorRoles.isEmpty ? "" : "<small>\(escape(event.actorRoles.joined(separator: ", ")))</small>"
            var detail = event.detail.keys.sorted().map { "\(escape($0)): \(escape(event.detail[$0]!))" }.joined(separator: "; ")
            if let summary = entry.summary {
                // Folded: a printed page shows the count; a browser opens the list.
                detail += "<details><summary>\(escape(summary))</summary>"
                    + entry.deliveries.map { "<small>\(escape(FoldedTimeline.line($0)))</small>" }.joined() + "</details>"
            }
            rows.append("<tr><td>\(event.sequence)</td><td>\(time)<small>\(escape(local))</small></td><td class=\"k\">\(event.kind.rawValue)</td><td>\(escape(event.actor))\(roles)</td><td>\(detail)</td></tr>")
        }
        return "<table class=\"timeline\"><colgroup><col class=\"n\"><col class=\"t\"><col class=\"k\"><col class=\"a\"><col></colgroup>"
            + "<thead><tr><th>#</th><th>Time (UTC / local)</th><th>Event</th><th>Actor</th><th>Detail</th></tr></thead><tbody>"
            + rows.joined(separator: "\n") + "</tbody></table>"
    }
}
