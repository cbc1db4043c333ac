import Foundation

/// A handover as the API answers it and the record stores it.
extension Handover: Codable {
    private enum Key: String, CodingKey {
        case id, role, outgoing, incoming, done, incidents, status
        case shiftChange = "shift_change", writtenAt = "written_at", inProgress = "in_progress", toDo = "to_do"
        case acknowledgementDue = "acknowledgement_due", acknowledgedAt = "acknowledged_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(role, forKey: .role)
        try container.encode(isAcknowledged ? "acknowledged" : "awaiting_acknowledgement", forKey: .status)
        try container.encode(outgoing, forKey: .outgoing)
        try container.encode(incoming, forKey: .incoming)
        try container.encode(UTCTime.string(shiftChange), forKey: .shiftChange)
        try container.encode(UTCTime.string(writtenAt), forKey: .writtenAt)
        try container.encode(inProgress, forKey: .inProgress)
        try container.encode(done, forKey: .done)
        try container.encode(toDo, forKey: .toDo)
        try container.encode(incidents, forKey: .incidents)
        try container.encode(UTCTime.string(acknowledgementDue), forKey: .acknowledgementDue)
        try container.encodeIfPresent(acknowledgedAt.map(UTCTime.string), forKey: .acknowledgedAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        self.init(id: try container.decode(Int64.self, forKey: .id), role: try container.decode(Role.self, forKey: .role),
                  outgoing: try container.decode(String.self, forKey: .outgoing), incoming: try container.decode(String.self, forKey: .incoming),
                  shiftChange: try container.decodeUTCTime(forKey: .shiftChange), writtenAt: try container.decodeUTCTime(forKey: .writtenAt),
                  inProgress: try container.decode([String].self, forKey: .inProgress), done: try container.decode([String].self, forKey: .done),
                  toDo: try container.decode([String].self, forKey: .toDo), incidents: try container.decode([HandoverIncident].self, forKey: .incidents),
                  acknowledgementDue: try container.decodeUTCTime(forKey: .acknowledgementDue),
                  acknowledgedAt: try container.decodeUTCTimeIfPresent(forKey: .acknowledgedAt))
    }
}
