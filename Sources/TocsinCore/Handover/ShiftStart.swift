import Foundation

/// The start of a shift: the moment a role's primary passes to someone else, when the incoming
/// person is told they are now on call, with the open incidents they inherit and the handover
/// waiting for them. Each is a timer row per role, planned ahead from the roster in force.
public enum ShiftStart {
    /// A timer for the next change of hands of each role's primary after `now` within
    /// `rules.planAhead`; a role a rotation holds with none in that time gets one at its end,
    /// to look again then.
    public static func plan(_ roster: Roster, after now: Date, rules: HandoverRules) -> [TimerRequest] {
        let horizon = now.addingTimeInterval(rules.planAhead.seconds)
        return roster.roles.keys.sorted().compactMap { role in
            if let change = roster.shiftChanges(of: role, from: now, to: horizon).first {
                return TimerRequest(.shiftStart, dueAt: change.at, subject: role.rawValue)
            }
            guard case .rotation = roster.roles[role]?.primary else { return nil }
            return TimerRequest(.shiftStart, dueAt: horizon, subject: role.rawValue)
        }
    }

    /// What a shift-start timer of `role` does at `dueAt`: when the primary changes hands
    /// then, a notice to the incoming person listing the open `incidents` they inherit and
    /// `handovers` written to them for this change, and an entry on the system timeline.
    public static func fire(role: Role, dueAt: Date, roster: Roster, incidents: [Incident], handovers: [Handover]) -> [RecordChange] {
        let before = roster.person(holding: role, as: .primary, at: dueAt.addingTimeInterval(-0.001))?.id
        guard let onCall = roster.onCall(role, .primary, at: dueAt), onCall.person.id != before else { return [] }
        let person = onCall.person
        let inherited = HandoverIncident.open(incidents)
        let handover = handovers.last { $0.role == role && $0.incoming == person.id && $0.shiftChange.millis == dueAt.millis }
        var detail = ["role": role.rawValue, "person": person.id, "previous": before ?? "nobody", "incidents": HandoverIncident.summary(inherited)]
        if !onCall.via.isEmpty { detail["via"] = onCall.via.joined(separator: ", ") }
        var text = "You are now on call as \(role) (primary) from \(UTCTime.string(dueAt))"
            + (before.map { ", taking over from \($0)." } ?? ".")
        text += inherited.isEmpty ? " No incident is open." : " You inherit \(inherited.count) open incident(s): " + inherited.map(\.line).joined(separator: "; ") + "."
        if let handover {
            detail["handover"] = "\(handover.id)"
            text += handover.isAcknowledged
                ? " You acknowledged handover \(handover.id)."
                : " Handover \(handover.id) from \(handover.outgoing) waits for your acknowledgement (`tocsin handover ack \(handover.id)`)."
        }
        let message = DutyMessage(kind: "on_call", role: role, person: person.id, message: text, handoverID: handover?.id, incidents: inherited)
        return [.systemEvent(SystemEvent(at: dueAt, kind: "shift_started", detail: detail))]
            + message.changes(to: person, key: "shift-\(role)-\(dueAt.millis)", pageKind: .notice, purpose: "shift start", at: dueAt)
    }
}
