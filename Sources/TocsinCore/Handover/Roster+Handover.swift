import Foundation

extension Roster {
    /// The most items a handover's list may hold, and the longest one.
    public static let handoverItems = 50
    public static let handoverItemLength = 1000

    /// The shift change `actor` hands `role` over at: the next change of its primary, within
    /// `rules.writeAhead`, when they hold it now; else one from them that came within the last
    /// acknowledgement window (a handover written just late).
    public func shiftChange(of role: Role, handedOverBy actor: String, now: Date, rules: HandoverRules) throws(HandoverError) -> ShiftChange {
        guard roles[role] != nil else {
            throw .invalid("There is no role \"\(role)\"; known roles: \(roles.keys.sorted().map(\.rawValue).joined(separator: ", ")).")
        }
        let from = now.addingTimeInterval(-rules.acknowledgeWithin.seconds)
        let until = now.addingTimeInterval(rules.writeAhead.seconds)
        let changes = shiftChanges(of: role, from: from, to: until)
        let coming = changes.first { $0.at > now }
        if let coming, coming.outgoing == actor { return coming }
        if let late = changes.last(where: { $0.at <= now && $0.outgoing == actor }) { return late }
        guard let next = coming ?? changes.last else {
            throw .invalid("\(role) does not change hands between \(UTCTime.string(from)) and \(UTCTime.string(until)); there is no shift to hand over.")
        }
        throw .forbidden("Only the outgoing holder writes a handover: \(role) passes from \(next.outgoing ?? "nobody") to \(next.incoming) at \(UTCTime.string(next.at)).")
    }

    /// Weighs the handover `actor` writes at `now`: the one to store, or why not. Only the
    /// role's outgoing primary may write it, once for a shift change; the incidents open in
    /// `incidents` are listed with their stage, and a note may be given only on one of them.
    public func handover(_ request: HandoverRequest, by actor: String, now: Date, incidents: [Incident], written: [Handover],
                         rules: HandoverRules) throws(HandoverError) -> Handover {
        let change = try shiftChange(of: request.role, handedOverBy: actor, now: now, rules: rules)
        if let earlier = written.first(where: { $0.role == request.role && $0.shiftChange.millis == change.at.millis }) {
            throw .conflict("Handover \(earlier.id) of \(request.role) at \(UTCTime.string(change.at)) is written already.")
        }
        let open = HandoverIncident.open(incidents)
        for id in request.notes.keys.sorted() where !open.contains(where: { $0.id == id }) {
            throw .invalid("notes: incident \(id) is not open; notes go on the open incidents (\(open.isEmpty ? "none" : open.map { "\($0.id)" }.joined(separator: ", "))).")
        }
        var notes: [Int64: String] = [:]
        for (id, note) in request.notes { notes[id] = try Self.item(note, field: "notes.\(id)") }
        let inProgress = try Self.items(request.inProgress, field: "in_progress")
        let done = try Self.items(request.done, field: "done")
        let toDo = try Self.items(request.toDo, field: "to_do")
        return Handover(role: request.role, outgoing: actor, incoming: change.incoming, shiftChange: change.at, writtenAt: now,
                        inProgress: inProgress, done: done, toDo: toDo, incidents: HandoverIncident.open(incidents, notes: notes),
                        acknowledgementDue: max(change.at, now).addingTimeInterval(rules.acknowledgeWithin.seconds))
    }

    /// `handover` acknowledged by `actor`: only its incoming person may, once.
    public func acknowledge(_ handover: Handover, by actor: String, now: Date) throws(HandoverError) -> Handover {
        guard actor == handover.incoming else {
            throw .forbidden("Only \(handover.incoming), who takes \(handover.role) over, may acknowledge handover \(handover.id).")
        }
        guard !handover.isAcknowledged else { throw .conflict("Handover \(handover.id) is acknowledged already.") }
        var acknowledged = handover
        acknowledged.acknowledgedAt = now
        return acknowledged
    }

    private static func items(_ items: [String], field: String) throws(HandoverError) -> [String] {
        guard items.count <= handoverItems else { throw .invalid("\(field) lists at most \(handoverItems) items.") }
        var kept: [String] = []
        for item in items { kept.append(try self.item(item, field: field)) }
        return kept
    }

    private static func item(_ text: String, field: String) throws(HandoverError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("\(field): an item is empty.") }
        guard trimmed.count <= handoverItemLength else { throw .invalid("\(field): an item is longer than \(handoverItemLength) characters.") }
        return trimmed
    }
}
