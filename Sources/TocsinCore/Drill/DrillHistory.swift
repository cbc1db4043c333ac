import Foundation

/// Each team's trend across drills: how fast every role responded, drill after drill, and
/// how the updates, deadlines and checklist went.
public struct DrillHistory: Sendable, Codable, Hashable {
    public var drills: [DrillSummary]

    public init(scorecards: [DrillScorecard]) {
        drills = scorecards.sorted { $0.openedAt < $1.openedAt }.map(DrillSummary.init)
    }

    /// One row per drill for `role`: who answered for it and how fast.
    public func trend(of role: IncidentRole) -> [[String]] {
        drills.compactMap { drill in
            drill.responses.first { $0.role == role }.map { response in
                ["\(drill.incidentID)", UTCTime.string(drill.openedAt), drill.title, response.person ?? "nobody", DurationWords.text(response.after),
                 DurationWords.text(response.target), response.after == nil ? "no response" : (response.met ? "met" : "missed")]
            }
        }
    }

    var sections: [(title: String, header: [String], rows: [[String]])] {
        let summary = ("Drills", ["Drill", "Opened", "Title", "Closed", "Deadlines met", "Updates on time", "Checklist", "Gates refused"], drills.map { drill in
            ["\(drill.incidentID)", UTCTime.string(drill.openedAt), drill.title, drill.closed ? "yes" : "no", "\(drill.deadlinesMet)/\(drill.deadlines)",
             "\(drill.updatesOnTime)/\(drill.updatesOwed)", drill.checklistCompletion.map { String(format: "%.0f%%", $0 * 100) } ?? "–", "\(drill.gatesRefused)"]
        })
        return [summary] + IncidentRole.allCases.map { role in
            ("Team \(role.rawValue): time to acknowledge", ["Drill", "Opened", "Title", "Person", "After", "Target", "Result"], trend(of: role))
        }
    }

    public var text: String {
        "Drill history: \(drills.count) drills\n\n" + sections.map { section in
            "\(section.title.uppercased())\n" + (section.rows.isEmpty ? "none" : TextTable(header: section.header.map { $0.uppercased() }, rows: section.rows).text)
        }.joined(separator: "\n\n") + "\n"
    }

    public var markdown: String {
        "# Drill history\n\n\(drills.count) drills.\n\n" + sections.map { section in
            var out = "## \(section.title)\n\n"
            guard !section.rows.isEmpty else { return out + "None.\n" }
            out += "| " + section.header.joined(separator: " | ") + " |\n|" + section.header.map { _ in " --- |" }.joined() + "\n"
            return out + section.rows.map { "| " + $0.map(MarkdownText.cell).joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    public var html: String {
        HTMLText.page(title: "Drill history", body: "<h1>Drill history</h1>\n<p>\(drills.count) drills.</p>\n" + sections.map { section in
            "<h2>\(HTMLText.escape(section.title))</h2>\n" + (section.rows.isEmpty ? "<p>None.</p>" : HTMLText.table(section.header, section.rows))
        }.joined(separator: "\n"))
    }
}

/// One drill's scorecard in a line.
public struct DrillSummary: Sendable, Codable, Hashable {
    public var incidentID: Int64
    public var title: String
    public var openedAt: Date
    public var closed: Bool
    public var responses: [RoleResponse]
    public var deadlines: Int
    public var deadlinesMet: Int
    public var updatesOwed: Int
    public var updatesOnTime: Int
    public var checklistCompletion: Double?
    public var gatesRefused: Int

    private enum CodingKeys: String, CodingKey {
        case incidentID = "incident_id", title, openedAt = "opened_at", closed, responses, deadlines, deadlinesMet = "deadlines_met"
        case updatesOwed = "updates_owed", updatesOnTime = "updates_on_time", checklistCompletion = "checklist_completion", gatesRefused = "gates_refused"
    }

    init(_ card: DrillScorecard) {
        incidentID = card.incidentID
        title = card.title
        openedAt = card.openedAt
        closed = card.closedAt != nil
        responses = card.acknowledgements
        deadlines = card.deadlines.count
        deadlinesMet = card.deadlines.filter(\.met).count
        updatesOwed = card.updates.map { $0.onTime + $0.late + $0.missed }.reduce(0, +)
        updatesOnTime = card.updates.map(\.onTime).reduce(0, +)
        checklistCompletion = card.checklistCompletion
        gatesRefused = card.gatesRefused.count
    }
}
