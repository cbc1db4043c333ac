import Foundation

/// Decides what a regulatory command records: the event on the hash-chained timeline and the
/// clocks it starts or stops. Pure, like `Procedure`: it refuses with the reason, or returns
/// the changes for the store to write in one transaction.
public enum RegulatoryFiling {
    public static func apply(_ command: RegulatoryCommand, by actor: String, incident: Incident, record: ProcedureRecord, events: [TimelineEvent],
                             rules: ResponseRules, now: Date) throws(ProcedureError) -> [RecordChange] {
        let filings = RegulatoryFilings(incident: incident, events: events)
        let people = Permissions(actor: actor, record: record, roster: rules.roster)
        switch command {
        case .declare(let regimeID, let reason):
            let regime = try enabled(regimeID, rules: rules.procedure)
            try people.require(action: "declare the incident major under \(regime.title)", [.commander, .leadership])
            guard regime.starts == .declared else { throw .invalid("\(regime.title) runs on every incident from its opening; there is nothing to declare.") }
            guard filings.declared[regime.id] == nil else { throw .invalid("The incident is already declared major under \(regime.title).") }
            guard !reason.isBlank else { throw .invalid("Say why the incident is major under \(regime.title) (`reason`).") }
            var after = filings
            after.declared[regime.id] = Declaration(at: now, by: actor, reason: reason)
            return [.event(TimelineEntry(.regulatoryDeclared, incident: incident.id, actor: actor, at: now, detail: ["regime": regime.id, "reason": reason]))]
                + RegulatoryClocks.restart(from: [.declared], regime: regime, filings: after, incident: incident, rules: rules.procedure, now: now)

        case .submit(let regimeID, let reportID, let reference, let submittedAt, let note):
            let regime = try enabled(regimeID, rules: rules.procedure)
            guard let report = regime.report(reportID) else {
                throw .invalid("\(regime.title) has no report \"\(reportID)\"; its reports are: \(regime.reports.map(\.id).joined(separator: ", ")).")
            }
            try people.require(action: "record the \(report.title) as submitted", [.coordinator, .commander, .businessLead, .leadership])
            guard filings.runs(regime) else {
                throw .invalid("The incident is not declared major under \(regime.title); declare it first (tocsin regulatory declare \(incident.id) \(regime.id)).")
            }
            guard !reference.isBlank else { throw .invalid("Give the regulator's reference for the report (`reference`).") }
            let at = submittedAt ?? now
            guard at <= now else { throw .invalid("submitted_at is in the future.") }
            if let before = report.clock.after.report, filings.versions(regime.id, before).isEmpty {
                throw .invalid("The \(regime.report(before)?.title ?? before) comes before the \(report.title); submit it first.")
            }
            let earlier = filings.versions(regime.id, report.id)
            var detail = ["regime": regime.id, "report": report.id, "version": "\(earlier.count + 1)", "reference": reference, "submitted_at": UTCTime.string(at)]
            detail["note"] = note.flatMap { $0.isBlank ? nil : $0 }
            if let last = earlier.last { detail["corrects"] = last.reference }
            // What the record still lacked when it went out, for whoever reads the timeline later.
            detail["missing_fields"] = ReportDraft(report, of: regime, incident: incident, record: record, events: events, now: now).missing.joined(separator: ", ")
            var after = filings
            after.submissions.append(ReportSubmission(regime: regime.id, report: report.id, version: earlier.count + 1, reference: reference,
                                                      submittedAt: at, submittedBy: actor, recordedAt: now, note: note))
            var changes: [RecordChange] = [.event(TimelineEntry(earlier.isEmpty ? .reportSubmitted : .reportCorrected, incident: incident.id, actor: actor, at: now, detail: detail))]
            if earlier.isEmpty {
                changes.append(.cancelTimers(.subject(regime.subject(of: report), incident: incident.id, kinds: [.updateReminder, .updateDue, .updateEscalation])))
            }
            // A correction is the same report again: only the clocks counting from its latest
            // version move (DORA's final report); those counting from its submission stay.
            let moved: [ReportAnchor] = earlier.isEmpty ? [.submitted(report.id), .latest(report.id)] : [.latest(report.id)]
            return changes + RegulatoryClocks.restart(from: moved, regime: regime, filings: after, incident: incident, rules: rules.procedure, now: now)
        }
    }

    private static func enabled(_ id: String, rules: ProcedureRules) throws(ProcedureError) -> RegulatoryRegime {
        guard let regime = rules.regime(id) else {
            throw .invalid("No regime \"\(id)\" is enabled; the enabled regimes are: \(rules.regulatoryRegimes.map(\.id).joined(separator: ", ")).")
        }
        return regime
    }
}
