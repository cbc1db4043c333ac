import Foundation

/// What a silence does to an incident whose alerts it covers: holds its paging while it
/// lasts, and starts it when it ends with the alerts still firing.
public enum SilenceHold {
    /// `silence` holds incident `id`: its firing alerts name the silence, and the timeline
    /// says who silenced it, why and until when. No escalation is scheduled.
    public static func hold(incident id: Int64, by silence: Silence, at now: Date, after ended: Silence? = nil) -> [RecordChange] {
        var detail = [
            "silence": "\(silence.id)", "created_by": silence.createdBy, "comment": silence.comment,
            "until": UTCTime.string(silence.endsAt), "matchers": silence.matchers.map(\.text).joined(separator: ", "),
        ]
        detail["after_silence"] = ended.map { "\($0.id)" }
        return [.silenceAlerts(incident: id, silence: silence.id), .event(TimelineEntry(.silenced, incident: id, at: now, detail: detail))]
    }

    /// `ended` ended at `now` while incident `incident`, held by it, still fires with `alert`
    /// (its first firing alert). Unless it was acknowledged or already escalates, it starts
    /// paging from step 0, or stays held by another of the `activeSilences` that covers it.
    public static func ended(_ ended: Silence, incident: Incident, alert: AlertReport, escalating: Bool, previousPass: Int?,
                             activeSilences: [Silence], rules: ResponseRules, now: Date) -> [RecordChange] {
        guard incident.acknowledgedAt == nil, !escalating else { return [] }
        if let other = activeSilences.first(where: { $0.matches(alert) }) {
            return hold(incident: incident.id, by: other, at: now, after: ended)
        }
        var changes: [RecordChange] = [.event(TimelineEntry(.silenceEnded, incident: incident.id, at: now,
                                                             detail: ["silence": "\(ended.id)", "ended_by": ended.expiredBy ?? "its end time",
                                                                      "reason": "still firing; paging starts"]))]
        changes += Escalation.start(incident, previousPass: previousPass, at: now, rules: rules)
        // The procedure's clocks (update cadences, deadlines) were held with the paging; they
        // run from now, when the response begins.
        var responding = incident
        responding.openedAt = now
        changes += Clocks.start(for: responding, rules: rules.procedure)
        return changes
    }
}
