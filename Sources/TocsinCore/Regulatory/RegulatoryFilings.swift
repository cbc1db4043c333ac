import Foundation

/// What the timeline says has been declared and submitted under each regime. The timeline is
/// the record: nothing about a filing is kept anywhere else.
public struct RegulatoryFilings: Sendable, Hashable {
    /// Regime id → when the incident was declared major under it.
    public var declared: [String: Declaration] = [:]
    /// Every submission and correction, in the order recorded.
    public var submissions: [ReportSubmission] = []
    /// When the first alert of the incident arrived.
    public var detectedAt: Date

    public init(incident: Incident, events: [TimelineEvent]) {
        detectedAt = min(incident.openedAt, events.first { $0.kind == .alertReceived }?.at ?? incident.openedAt)
        for event in events {
            switch event.kind {
            case .regulatoryDeclared:
                guard let regime = event.detail["regime"], declared[regime] == nil else { continue }
                declared[regime] = Declaration(at: event.at, by: event.actor, reason: event.detail["reason"] ?? "")
            case .reportSubmitted, .reportCorrected:
                guard let regime = event.detail["regime"], let report = event.detail["report"] else { continue }
                submissions.append(ReportSubmission(
                    regime: regime, report: report, version: Int(event.detail["version"] ?? "") ?? 1, reference: event.detail["reference"] ?? "",
                    submittedAt: event.detail["submitted_at"].flatMap(UTCTime.date) ?? event.at, submittedBy: event.actor, recordedAt: event.at,
                    note: event.detail["note"]))
            case .updatePosted where event.detail["kind"] == UpdateKind.regulatory.rawValue:
                // The upward report posted as an update, before it could be submitted as a report.
                let version = submissions.filter { $0.regime == RegulatoryRegime.upwardID }.count + 1
                submissions.append(ReportSubmission(regime: RegulatoryRegime.upwardID, report: "report", version: version, reference: "",
                                                    submittedAt: event.at, submittedBy: event.actor, recordedAt: event.at, note: event.detail["text"]))
            default:
                continue
            }
        }
    }

    /// Every version of one report, the first first.
    public func versions(_ regime: String, _ report: String) -> [ReportSubmission] {
        submissions.filter { $0.regime == regime && $0.report == report }
    }

    /// The moments the regime's clocks run from, as the record stands.
    public func anchors(for regime: RegulatoryRegime, incident: Incident) -> ReportAnchors {
        var submitted: [String: Date] = [:]
        var latest: [String: Date] = [:]
        for submission in submissions where submission.regime == regime.id {
            if submitted[submission.report] == nil { submitted[submission.report] = submission.submittedAt }
            latest[submission.report] = submission.submittedAt
        }
        return ReportAnchors(opened: incident.openedAt, detected: detectedAt, declared: declared[regime.id]?.at, submitted: submitted, latest: latest)
    }

    /// Whether the regime's clocks run on this incident.
    public func runs(_ regime: RegulatoryRegime) -> Bool {
        regime.starts == .opened || declared[regime.id] != nil
    }
}

/// Someone classified the incident as major under a regime.
public struct Declaration: Sendable, Hashable, Codable {
    public var at: Date
    public var by: String
    public var reason: String
}

/// One version of a report as it went to the regulator.
public struct ReportSubmission: Sendable, Hashable, Codable {
    public var regime: String
    public var report: String
    /// 1 for the report as first submitted; each correction is the next version.
    public var version: Int
    /// The regulator's reference for this version.
    public var reference: String
    public var submittedAt: Date
    public var submittedBy: String
    /// When Tocsin recorded it, which may be after it was submitted.
    public var recordedAt: Date
    public var note: String?

    private enum CodingKeys: String, CodingKey {
        case regime, report, version, reference, submittedAt = "submitted_at", submittedBy = "submitted_by", recordedAt = "recorded_at", note
    }
}
