import Foundation

/// A drill someone starts: an incident of a runbook's scenario that runs the real procedure
/// with the real roster, escalation and clocks, decided before the store gives it an id.
public struct DrillOpening: Sendable {
    public var runbook: Runbook
    public var severity: Severity
    public var script: DrillScript
    public var startedBy: String
    public var policy: EscalationPolicy
    /// The record it opens with: nothing done yet, the roles as on call now.
    public var record: ProcedureRecord
    public var openedAt: Date

    public init(runbook: Runbook, severity: Severity, script: DrillScript, startedBy: String, rules: ResponseRules, at now: Date) {
        self.runbook = runbook
        self.severity = severity
        self.script = script
        self.startedBy = startedBy
        self.policy = rules.escalation.policy(for: severity)
        var record = ProcedureRecord()
        record.roles = IncidentRoles(from: rules.roster, at: now)
        self.record = record
        self.openedAt = now
    }

    /// The service the scenario is about: the runbook's own, if it names one.
    public var service: String { runbook.matchers["service"] ?? runbook.id }

    public var title: String { script.name ?? runbook.title }

    /// The incident as stored under `id`.
    public func incident(id: Int64) -> Incident {
        Incident(id: id, title: title, service: service, severity: severity, stage: .reported, runbookID: runbook.id,
                 openedAt: openedAt, acknowledgedAt: nil, acknowledgedBy: nil, policy: policy, isDrill: true)
    }

    /// What opening it as incident `id` writes: how it opened, its first page and clocks, and
    /// a timer for each scripted injection.
    public func changes(id: Int64, rules: ResponseRules) -> [RecordChange] {
        var opened = ["service": service, "stage": Stage.reported.rawValue, "reported_by": startedBy, "runbook": runbook.id, "drill": "true",
                      "injections": "\(script.injections.count)"]
        opened["script"] = script.name
        opened["commander"] = record.roles.commander
        opened["coordinator"] = record.roles.coordinator
        opened["business_lead"] = record.roles.businessLead
        opened["executors"] = record.roles.executors.joined(separator: ",")
        let incident = incident(id: id)
        var changes: [RecordChange] = [
            .event(TimelineEntry(.incidentOpened, incident: id, actor: startedBy, at: openedAt, detail: opened)),
            .event(TimelineEntry(.severitySet, incident: id, at: openedAt, detail: ["severity": severity.description])),
        ]
        changes += Escalation.start(incident, previousPass: nil, at: openedAt, rules: rules)
        changes += Clocks.start(for: incident, rules: rules.procedure)
        for injection in script.injections {
            changes.append(.timer(TimerRequest(.drillInjection, dueAt: openedAt.addingTimeInterval(TimeInterval(injection.after)), incidentID: id,
                                               subject: injection.subject)))
        }
        return changes
    }
}
