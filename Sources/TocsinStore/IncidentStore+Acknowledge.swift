import Foundation
import GRDB
import TocsinCore

/// What an acknowledgement did.
public enum AcknowledgeOutcome: Sendable, Hashable {
    case acknowledged
    /// Someone had acknowledged already; this one is recorded and changes nothing else.
    case alreadyAcknowledged(by: String, at: Date)
}

extension IncidentStore {
    /// Acknowledges for `person`: stops the escalation and cancels pages not yet sent.
    public func acknowledge(incidentID: Int64, by person: String, via channel: String, now: Date) throws -> AcknowledgeOutcome {
        try database.write { db in
            let incident = try Self.incident(incidentID, in: db)
            if let at = incident.acknowledgedAt {
                try Timeline.append(.acknowledgedAgain, incident: incidentID, actor: person, at: now,
                                    detail: ["via": channel, "first_by": incident.acknowledgedBy ?? "?"], in: db)
                return .alreadyAcknowledged(by: incident.acknowledgedBy ?? "?", at: at)
            }
            try db.execute(sql: "UPDATE incident SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?", arguments: [now.millis, person, incidentID])
            try Timeline.append(.acknowledged, incident: incidentID, actor: person, at: now, detail: ["via": channel], in: db)
            try db.execute(sql: "DELETE FROM timer WHERE kind = ? AND incident_id = ?", arguments: [TimerKind.escalation.rawValue, incidentID])
            let cancelled = try String.fetchAll(db, sql: "SELECT idempotency_key FROM page WHERE incident_id = ? AND status = 'pending'", arguments: [incidentID])
            try db.execute(sql: "UPDATE page SET status = 'cancelled' WHERE incident_id = ? AND status = 'pending'", arguments: [incidentID])
            for key in cancelled {
                try Timeline.append(.pageCancelled, incident: incidentID, actor: "tocsin", at: now,
                                    detail: ["idempotency_key": key, "reason": "acknowledged"], in: db)
            }
            return .acknowledged
        }
    }
}
