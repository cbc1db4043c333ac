import Foundation

/// An incident an alert opens: everything about it decided before the store gives it an id.
public struct IncidentOpening: Sendable {
    public var report: AlertReport
    public var severity: Severity
    public var runbook: Runbook?
    public var policy: EscalationPolicy
    /// The record it opens with: nothing done yet, the roles as on call now.
    public var record: ProcedureRecord
    public var openedAt: Date

    init(report: AlertReport, severity: Severity, rules: ResponseRules, at now: Date) {
        self.report = report
        self.severity = severity
        self.runbook = rules.runbooks.bestMatch(for: report)
        self.policy = rules.escalation.policy(for: severity)
        var record = ProcedureRecord()
        record.roles = IncidentRoles(from: rules.roster, at: now)
        self.record = record
        self.openedAt = now
    }

    /// The incident as stored under `id`.
    public func incident(id: Int64) -> Incident {
        Incident(id: id, title: report.summary, service: report.service, severity: severity, stage: .reported, runbookID: runbook?.id,
                 openedAt: openedAt, acknowledgedAt: nil, acknowledgedBy: nil, policy: policy)
    }

    /// What opening it as incident `id` writes: how it opened, then either its first page
    /// and clocks, or, when `silence` covers its alert, a record that nobody is paged.
    public func changes(id: Int64, silence: Silence?, rules: ResponseRules) -> [RecordChange] {
        let now = openedAt
        var opened = ["service": report.service, "stage": Stage.reported.rawValue, "reported_by": report.source]
        opened["runbook"] = runbook?.id
        opened["commander"] = record.roles.commander
        opened["coordinator"] = record.roles.coordinator
        opened["business_lead"] = record.roles.businessLead
        opened["executors"] = record.roles.executors.joined(separator: ",")
        let received = report.details.merging(["dedup_key": report.dedupKey, "summary": report.summary, "starts_at": UTCTime.string(report.startsAt)]) { _, own in own }
        var changes: [RecordChange] = [
            .event(TimelineEntry(.incidentOpened, incident: id, actor: report.source, at: now, detail: opened)),
            .event(TimelineEntry(.alertReceived, incident: id, actor: report.source, at: now, detail: received)),
            .event(TimelineEntry(.severitySet, incident: id, at: now, detail: ["severity": severity.description])),
        ]
        if let silence {
            changes += SilenceHold.hold(incident: id, by: silence, at: now)
        } else {
            let incident = incident(id: id)
            changes += Escalation.start(incident, previousPass: nil, at: now, rules: rules)
            changes += Clocks.start(for: incident, rules: rules.procedure)
        }
        return changes
    }
}
