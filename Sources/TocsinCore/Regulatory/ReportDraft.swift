import Foundation

/// A regulatory report drafted from what the incident already holds: each field the report
/// must carry with its value from the record, and the fields still missing. Drafting reads
/// the record and writes nothing.
public struct ReportDraft: Sendable, Hashable, Codable {
    public var regime: String
    public var regimeTitle: String
    public var source: String
    public var report: String
    public var reportTitle: String
    public var incidentID: Int64
    public var incidentTitle: String
    public var draftedAt: Date
    /// As configured: `4h after declared, at most 24h after detected`.
    public var clock: String
    /// Nil until the moment the clock runs from is on record.
    public var dueAt: Date?
    /// The version a submission of this draft would be: 1, or the next correction.
    public var version: Int
    public var submissions: [ReportSubmission]
    public var fields: [DraftField]
    /// The ids of the fields with no value on record yet.
    public var missing: [String]
    public var suggestion: MajorSuggestion

    private enum CodingKeys: String, CodingKey {
        case regime, regimeTitle = "regime_title", source, report, reportTitle = "report_title", incidentID = "incident_id", incidentTitle = "incident_title"
        case draftedAt = "drafted_at", clock, dueAt = "due_at", version, submissions, fields, missing, suggestion
    }

    public init(_ report: RegulatoryReport, of regime: RegulatoryRegime, incident: Incident, record: ProcedureRecord, events: [TimelineEvent], now: Date) {
        let filings = RegulatoryFilings(incident: incident, events: events)
        let suggestion = MajorSuggestion(regime: regime, incident: incident, record: record, events: events, now: now)
        let facts = DraftFacts(regime: regime, report: report, incident: incident, record: record, events: events, filings: filings, suggestion: suggestion)
        let fields = report.contents.map { DraftField(field: $0.rawValue, label: $0.label, value: facts.value(of: $0)) }
        self.regime = regime.id
        regimeTitle = regime.title
        source = regime.source
        self.report = report.id
        reportTitle = report.title
        incidentID = incident.id
        incidentTitle = incident.title
        draftedAt = now
        clock = report.clock.description
        dueAt = filings.runs(regime) ? report.clock.due(filings.anchors(for: regime, incident: incident)) : nil
        submissions = filings.versions(regime.id, report.id)
        version = submissions.count + 1
        self.fields = fields
        missing = fields.filter { $0.value == nil }.map(\.field)
        self.suggestion = suggestion
    }
}

/// One field of a draft; `value` is nil while the record does not hold it.
public struct DraftField: Sendable, Hashable, Codable {
    public var field: String
    public var label: String
    public var value: String?
}

/// Reads each report field's value off the record.
struct DraftFacts {
    let regime: RegulatoryRegime
    let report: RegulatoryReport
    let incident: Incident
    let record: ProcedureRecord
    let events: [TimelineEvent]
    let filings: RegulatoryFilings
    let suggestion: MajorSuggestion

    func value(of field: ReportField) -> String? {
        let assessment = record.assessment
        let money = record.reconciliation
        let reconciled = events.contains { $0.kind == .reconciliationRecorded }
        switch field {
        case .detectedAt: return UTCTime.string(filings.detectedAt)
        case .classifiedAt: return UTCTime.string(incident.openedAt)
        case .declaredAt:
            guard regime.starts == .declared else { return "\(UTCTime.string(incident.openedAt)) (every incident Tocsin opens)" }
            return filings.declared[regime.id].map { "\(UTCTime.string($0.at)) by \($0.by): \($0.reason)" }
        case .faultStartedAt: return assessment.map { UTCTime.string($0.faultStartedAt) }
        case .severity: return incident.severity.description
        case .stage: return incident.stage.rawValue
        case .scope: return assessment?.scope
        case .spread: return assessment?.spread
        case .affectedServices: return assessment.map { $0.affectedServices.joined(separator: ", ") }
        case .allBusinessAffected: return assessment.map { $0.allBusinessAffected ? "yes" : "no" }
        case .initialCause: return assessment?.initialCause.flatMap { $0.isBlank ? nil : $0 }
        case .tradingStopped:
            guard let stop = record.stopTrading, record.tradingStopped else { return "no" }
            return "yes: \(stop.what), ordered by \(stop.proposedBy), approved by \(stop.approvedBy ?? "–")"
                + (record.tradingResumedAt.map { "; resumed \(UTCTime.string($0))" } ?? "")
        case .affectedTransactions: return reconciled ? "\(money.affectedTransactions)" : nil
        case .amount: return money.amount.map { [$0, money.currency].compactMap { $0 }.joined(separator: " ") }
        case .channels: return money.channels.isEmpty ? nil : money.channels.joined(separator: ", ")
        case .banks: return money.banks.isEmpty ? nil : money.banks.joined(separator: ", ")
        case .rootCause: return record.plan?.rootCause
        case .recoveryPlan: return record.plan.map { "\($0.steps) (approved by \($0.approvedBy ?? "nobody yet"))" }
        case .operations:
            return record.operations.isEmpty ? nil
                : record.operations.map { "\(UTCTime.string($0.at)) \($0.by): \($0.action) → \($0.result)" }.joined(separator: "\n")
        case .serviceRestoredAt: return record.serviceRestoredAt.map(UTCTime.string)
        case .reconciliation:
            guard reconciled else { return nil }
            return "\(money.discrepanciesFound) discrepancies found, \(money.discrepanciesResolved) resolved, \(money.openDiscrepancies) open"
                + (money.exception.map { "; exception signed off by \($0.by): \($0.reason)" } ?? "")
        case .summary: return record.closing?.summary
        case .followUps: return record.closing.flatMap { $0.followUps.isEmpty ? nil : $0.followUps.joined(separator: "; ") }
        case .classification:
            let suggested = "suggested from the figures: \(suggestion.summary)"
            guard let declared = filings.declared[regime.id] else { return regime.starts == .opened ? suggested : "not declared; \(suggested)" }
            return "declared major \(UTCTime.string(declared.at)) by \(declared.by): \(declared.reason); \(suggested)"
        case .previousReference:
            guard let index = regime.reports.firstIndex(where: { $0.id == report.id }), index > 0 else { return "none (the first report)" }
            return regime.reports[..<index].reversed().lazy.compactMap { filings.versions(regime.id, $0.id).last?.reference }.first
        }
    }
}
