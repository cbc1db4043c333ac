import Foundation

extension DrillInjection {
    /// What the injection does when its timer comes due on the drill `incident`: the event the
    /// team would meet in a real fault, and the notice that would tell them. Nothing once the
    /// drill is closed. `unsentPageKeys` are the keys of the pages and notices not yet sent to
    /// `silencedPerson` (a `vendor_silent` injection cancels them).
    public func fire(incident: Incident, record: ProcedureRecord, dueAt: Date, rules: ResponseRules, unsentPageKeys: [String] = []) -> [RecordChange] {
        guard incident.stage != .closed else { return [] }
        let id = incident.id
        let commanders = [record.roles.commander, record.roles.coordinator].compactMap { $0 }
        func notice(_ subject: String, _ message: String, alsoTo extra: [String] = []) -> RecordChange {
            .notice(NoticeRequest(to: [], alsoTo: commanders + extra, incident: incident, subject: subject, message: message, roster: rules.roster, at: dueAt))
        }
        let service = service ?? incident.service
        switch kind {
        case .alertFires:
            let summary = summary ?? "Alert firing on \(service)"
            var changes: [RecordChange] = [
                .event(TimelineEntry(.alertReceived, incident: id, actor: "drill", at: dueAt,
                                     detail: ["service": service, "summary": summary, "dedup_key": "drill-\(id)/\(service)", "injected": "true"])),
            ]
            if let severity, severity > incident.severity {
                changes.append(.severity(incident: id, severity))
                changes.append(.event(TimelineEntry(.severityRaised, incident: id, at: dueAt,
                                                    detail: ["from": incident.severity.description, "to": severity.description, "alert": "drill-\(id)/\(service)"])))
            }
            return changes + [notice("alert_fired", "A further alert fires on \(service): \(summary).")]
        case .alertResolves:
            return [.event(TimelineEntry(.alertResolved, incident: id, actor: "drill", at: dueAt,
                                         detail: ["service": service, "dedup_key": "drill-\(id)/\(service)", "injected": "true"])),
                    notice("alert_resolved", "The alert on \(service) resolved.")]
        case .tradeSwitchFails:
            // Nobody is told: the team meets the failure when it calls the switch.
            return [.event(TimelineEntry(.drillInjected, incident: id, actor: "drill", at: dueAt, detail: ["injection": kind.rawValue]))]
        case .operationFails:
            let executor = person ?? record.roles.executors.first ?? "an executor"
            let action = action ?? "the planned operation"
            let result = result ?? "it failed"
            return [.event(TimelineEntry(.drillInjected, incident: id, actor: "drill", at: dueAt,
                                         detail: ["injection": kind.rawValue, "person": executor, "action": action, "result": result])),
                    notice("operation_failed", "\(executor) reports: \(action) FAILED (\(result)).", alsoTo: record.roles.executors)]
        case .vendorSilent:
            guard let vendor = silencedPerson(record: record, roster: rules.roster) else {
                return [.event(TimelineEntry(.drillInjected, incident: id, actor: "drill", at: dueAt, detail: ["injection": kind.rawValue])),
                        notice("vendor_silent", "The vendor does not answer; find support another way.")]
            }
            var changes: [RecordChange] = [.event(TimelineEntry(.drillInjected, incident: id, actor: "drill", at: dueAt, detail: ["injection": kind.rawValue, "person": vendor]))]
            if !incident.silentInDrill.contains(vendor) {
                changes.append(.drillSilent(incident: id, person: vendor))
                for key in unsentPageKeys {
                    changes.append(.event(TimelineEntry(.pageCancelled, incident: id, at: dueAt, detail: ["idempotency_key": key, "reason": DrillSilence.reason(vendor)])))
                }
            }
            return changes + [notice("vendor_silent", "\(vendor) does not answer: from now on nothing this drill sends reaches them and their acknowledgement does not count. Find support another way.")]
        }
    }

    /// Whom a `vendor_silent` injection silences: the person it names, or else the drill's
    /// first external executor (a vendor holding the executors' role); nil for other injections.
    public func silencedPerson(record: ProcedureRecord, roster: Roster) -> String? {
        guard kind == .vendorSilent else { return nil }
        return person ?? record.roles.executors.first { roster.people[$0]?.isExternal == true }
    }
}
