import Foundation

/// A set of reports a firm owes someone above it when an incident is bad enough: the plan's own
/// report upward, or a regulator's (DORA, NIS2). Each report has its clock and the contents it
/// must carry; Tocsin drafts it from the record and reminds its owner before it is due.
public struct RegulatoryRegime: Sendable, Hashable, Identifiable {
    /// As written in configuration and on the command line: `upward`, `dora`, `nis2`.
    public var id: String
    public var title: String
    /// The text that sets the clocks, for the draft's reader.
    public var source: String
    public var starts: RegimeStart
    public var reports: [RegulatoryReport]
    /// When the helper suggests the incident is major under this regime.
    public var major: MajorThresholds

    public init(id: String, title: String, source: String, starts: RegimeStart, reports: [RegulatoryReport], major: MajorThresholds) {
        self.id = id
        self.title = title
        self.source = source
        self.starts = starts
        self.reports = reports
        self.major = major
    }

    public func report(_ id: String) -> RegulatoryReport? {
        reports.first { $0.id == id }
    }

    /// The subject of the report's timer rows. The plan's upward report keeps the subject the
    /// procedure has always given it (`regulatory`), so its clock, its `update regulatory` posts
    /// and the response figures built on them stay as they were.
    public func subject(of report: RegulatoryReport) -> String {
        id == Self.upwardID ? UpdateKind.regulatory.rawValue : "\(Self.subjectPrefix)\(id).\(report.id)"
    }

    public static let upwardID = "upward"
    /// Every regime report's timer subject but the upward report's starts with this.
    public static let subjectPrefix = "regulatory."
}

/// When a regime's clocks start.
public enum RegimeStart: String, Sendable, Hashable {
    /// When Tocsin opens the incident: every incident it opens owes these reports.
    case opened
    /// When someone declares the incident major under the regime (`tocsin regulatory declare`).
    case declared
}

/// One report of a regime: its clock, who owes it, and what it must say.
public struct RegulatoryReport: Sendable, Hashable, Identifiable {
    /// `initial`, `intermediate`, `final`, `early_warning`…
    public var id: String
    public var title: String
    public var clock: ReportClock
    /// The incident role reminded before it is due.
    public var owner: IncidentRole
    /// How long before the due time the owner is reminded; nil uses the procedure's `reminder_before`.
    public var remindBefore: Duration?
    /// What the report must carry, in the order it is written.
    public var contents: [ReportField]

    public init(id: String, title: String, clock: ReportClock, owner: IncidentRole = .coordinator, remindBefore: Duration? = nil, contents: [ReportField]) {
        self.id = id
        self.title = title
        self.clock = clock
        self.owner = owner
        self.remindBefore = remindBefore
        self.contents = contents
    }
}
