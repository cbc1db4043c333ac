import Foundation

/// Where an incident stands under each enabled regime: declared or not, each report's due time
/// and submissions, and the classification helper's suggestion.
public struct RegulatoryStanding: Sendable, Hashable, Codable {
    public var regime: String
    public var title: String
    public var starts: String
    public var declared: Declaration?
    public var suggestion: MajorSuggestion
    public var reports: [ReportStanding]

    public init(_ regime: RegulatoryRegime, incident: Incident, record: ProcedureRecord, events: [TimelineEvent], now: Date) {
        let filings = RegulatoryFilings(incident: incident, events: events)
        let anchors = filings.anchors(for: regime, incident: incident)
        self.regime = regime.id
        title = regime.title
        starts = regime.starts.rawValue
        declared = filings.declared[regime.id]
        suggestion = MajorSuggestion(regime: regime, incident: incident, record: record, events: events, now: now)
        reports = regime.reports.map { report in
            let versions = filings.versions(regime.id, report.id)
            let due = filings.runs(regime) ? report.clock.due(anchors) : nil
            let state: String = if let first = versions.first {
                // Due means recorded missed at that instant: a submission then is late.
                due.map { first.submittedAt >= $0 ? "submitted late" : "submitted" } ?? "submitted"
            } else if let due {
                due <= now ? "overdue" : "due"
            } else {
                "not started"
            }
            return ReportStanding(report: report.id, title: report.title, clock: report.clock.description, dueAt: due, state: state, submissions: versions,
                                  missing: ReportDraft(report, of: regime, incident: incident, record: record, events: events, now: now).missing)
        }
    }

    private enum CodingKeys: String, CodingKey { case regime, title, starts, declared, suggestion, reports }
}

/// One report of a regime on one incident.
public struct ReportStanding: Sendable, Hashable, Codable {
    public var report: String
    public var title: String
    public var clock: String
    public var dueAt: Date?
    /// `not started`, `due`, `overdue`, `submitted` or `submitted late`.
    public var state: String
    public var submissions: [ReportSubmission]
    public var missing: [String]

    private enum CodingKeys: String, CodingKey { case report, title, clock, dueAt = "due_at", state, submissions, missing }
}
