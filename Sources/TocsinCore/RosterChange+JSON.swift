import Foundation

/// A roster change as the API answers it and the record stores it: one flat object whose
/// `kind` says which of the other fields it has.
extension RosterChange: Codable {
    private enum Key: String, CodingKey {
        case id, kind, status, start, end, reason, summary
        case requestedBy = "requested_by", requestedAt = "requested_at"
        case acceptedBy = "accepted_by", acceptedAt = "accepted_at"
        case cancelledBy = "cancelled_by", cancelledAt = "cancelled_at"
        case role, holder, rotation, person
        case standIn = "stand_in"
        case shiftStart = "shift_start", shiftEnd = "shift_end", shiftIndex = "shift_index"
        case with
        case theirShiftStart = "their_shift_start", theirShiftEnd = "their_shift_end", theirShiftIndex = "their_shift_index"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(UTCTime.string(start), forKey: .start)
        try container.encode(UTCTime.string(end), forKey: .end)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(description, forKey: .summary)
        try container.encode(requestedBy, forKey: .requestedBy)
        try container.encode(UTCTime.string(requestedAt), forKey: .requestedAt)
        try container.encodeIfPresent(acceptedBy, forKey: .acceptedBy)
        try container.encodeIfPresent(acceptedAt.map(UTCTime.string), forKey: .acceptedAt)
        try container.encodeIfPresent(cancelledBy, forKey: .cancelledBy)
        try container.encodeIfPresent(cancelledAt.map(UTCTime.string), forKey: .cancelledAt)
        switch kind {
        case .override(let target, let person):
            try container.encode("override", forKey: .kind)
            try container.encode(person, forKey: .person)
            switch target {
            case .role(let role, let holder):
                try container.encode(role, forKey: .role)
                try container.encode(holder, forKey: .holder)
            case .rotation(let id):
                try container.encode(id, forKey: .rotation)
            }
        case .standIn(let person, let standIn):
            try container.encode("stand_in", forKey: .kind)
            try container.encode(person, forKey: .person)
            try container.encode(standIn, forKey: .standIn)
        case .swap(let swap):
            try container.encode("swap", forKey: .kind)
            try container.encode(swap.rotation, forKey: .rotation)
            try container.encode(swap.proposer, forKey: .person)
            try container.encode(UTCTime.string(swap.proposerShift.start), forKey: .shiftStart)
            try container.encode(UTCTime.string(swap.proposerShift.end), forKey: .shiftEnd)
            try container.encode(swap.proposerShift.index, forKey: .shiftIndex)
            try container.encode(swap.other, forKey: .with)
            try container.encode(UTCTime.string(swap.otherShift.start), forKey: .theirShiftStart)
            try container.encode(UTCTime.string(swap.otherShift.end), forKey: .theirShiftEnd)
            try container.encode(swap.otherShift.index, forKey: .theirShiftIndex)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let person = try container.decode(String.self, forKey: .person)
        let kind: Kind
        switch try container.decode(String.self, forKey: .kind) {
        case "override":
            if let rotation = try container.decodeIfPresent(String.self, forKey: .rotation) {
                kind = .override(target: .rotation(rotation), person: person)
            } else {
                kind = .override(target: .role(try container.decode(Role.self, forKey: .role), try container.decode(Holder.self, forKey: .holder)),
                                 person: person)
            }
        case "stand_in":
            kind = .standIn(person: person, standIn: try container.decode(String.self, forKey: .standIn))
        case "swap":
            let other = try container.decode(String.self, forKey: .with)
            kind = .swap(ShiftSwap(
                rotation: try container.decode(String.self, forKey: .rotation), proposer: person,
                proposerShift: Shift(index: try container.decode(Int.self, forKey: .shiftIndex), start: try container.decodeUTCTime(forKey: .shiftStart),
                                     end: try container.decodeUTCTime(forKey: .shiftEnd), member: person),
                other: other,
                otherShift: Shift(index: try container.decode(Int.self, forKey: .theirShiftIndex), start: try container.decodeUTCTime(forKey: .theirShiftStart),
                                  end: try container.decodeUTCTime(forKey: .theirShiftEnd),
                                  member: other)))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown roster change kind \"\(other)\"")
        }
        self.init(id: try container.decode(Int64.self, forKey: .id), kind: kind, start: try container.decodeUTCTime(forKey: .start),
                  end: try container.decodeUTCTime(forKey: .end),
                  reason: try container.decodeIfPresent(String.self, forKey: .reason), requestedBy: try container.decode(String.self, forKey: .requestedBy),
                  requestedAt: try container.decodeUTCTime(forKey: .requestedAt), status: try container.decode(Status.self, forKey: .status))
        acceptedBy = try container.decodeIfPresent(String.self, forKey: .acceptedBy)
        acceptedAt = try container.decodeUTCTimeIfPresent(forKey: .acceptedAt)
        cancelledBy = try container.decodeIfPresent(String.self, forKey: .cancelledBy)
        cancelledAt = try container.decodeUTCTimeIfPresent(forKey: .cancelledAt)
    }
}
