import Foundation

extension Handover {
    /// The timer a written handover starts: its acknowledgement's deadline.
    public var acknowledgementClock: RecordChange {
        .timer(TimerRequest(.handoverMissed, dueAt: acknowledgementDue, step: 0, subject: "\(id)"))
    }

    /// What a missed acknowledgement's timer does at `dueAt`: step 0 pages the incoming person
    /// and starts the next window; step 1 pages the role's backup as the roster has it then.
    /// An acknowledged handover changes nothing.
    public func acknowledgementMissed(step: Int, dueAt: Date, roster: Roster, rules: HandoverRules) -> [RecordChange] {
        guard !isAcknowledged else { return [] }
        let person = step == 0 ? roster.people[incoming] : roster.person(holding: role, as: .backup, at: dueAt)
        var detail = ["handover": "\(id)", "role": role.rawValue, "incoming": incoming, "outgoing": outgoing, "step": "\(step)",
                      "shift_change": UTCTime.string(shiftChange), "paged": person?.id ?? "nobody"]
        if person == nil { detail["problem"] = step == 0 ? "\(incoming) is not in Contacts/" : "\(role) has no backup to page" }
        var changes: [RecordChange] = [.systemEvent(SystemEvent(at: dueAt, kind: "handover_unacknowledged", detail: detail))]
        if let person {
            let text = step == 0
                ? "Handover \(id) of \(role) from \(outgoing) is not acknowledged: you took \(role) over at \(UTCTime.string(shiftChange)). Acknowledge it with `tocsin handover ack \(id)`."
                : "Handover \(id) of \(role) from \(outgoing) to \(incoming) is still not acknowledged since \(UTCTime.string(shiftChange)); as \(role)'s backup, make sure someone holds it."
            let message = DutyMessage(kind: "handover", role: role, person: person.id, message: text, handoverID: id, incidents: incidents)
            changes += message.changes(to: person, key: "handover-\(id)/missed-\(step)", pageKind: .page, purpose: "handover \(id) unacknowledged", at: dueAt)
        }
        if step == 0 {
            changes.append(.timer(TimerRequest(.handoverMissed, dueAt: dueAt.addingTimeInterval(rules.acknowledgeWithin.seconds), step: 1, subject: "\(id)")))
        }
        return changes
    }
}
