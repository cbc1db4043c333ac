import Foundation

/// What an alert's resolution changes on its incident.
public enum AlertResolution {
    /// Alert `key` of incident `incidentID` resolved; `stillFiring` of the incident's alerts
    /// fire after it, and `pendingSteps` escalation steps are still to come. When none fires,
    /// an acknowledgement can no longer time out, and an escalation nobody answered stops.
    public static func changes(key: String, incidentID: Int64, source: String, now: Date, stillFiring: Int, pendingSteps: Int) -> [RecordChange] {
        var changes: [RecordChange] = [.event(TimelineEntry(.alertResolved, incident: incidentID, actor: source, at: now, detail: ["dedup_key": key]))]
        guard stillFiring == 0 else { return changes }
        changes.append(.cancelTimers(.incident(incidentID, kinds: [.acknowledgementTimeout])))
        if pendingSteps > 0 {
            changes.append(.cancelTimers(.incident(incidentID, kinds: [.escalation])))
            changes.append(.event(TimelineEntry(.escalationStopped, incident: incidentID, at: now,
                                                detail: ["reason": "every alert of the incident resolved before anyone acknowledged"])))
        }
        return changes
    }
}
