import Foundation
import GRDB
import TocsinCore

/// What an acknowledgement did.
public enum AcknowledgeOutcome: Sendable, Hashable {
    case acknowledged
    /// Someone had acknowledged already; this one is recorded and changes nothing else.
    case alreadyAcknowledged(by: String, at: Date)
    /// The step asked everyone it paged to acknowledge; these people still have to.
    case partiallyAcknowledged(waitingFor: [String])
}

extension IncidentStore {
    /// Acknowledges for `person`. Once the step's condition is met (anyone, or everyone it
    /// paged), the escalation stops, pages not yet sent are cancelled, and the
    /// acknowledgement timeout starts.
    public func acknowledge(incidentID: Int64, by person: String, via channel: String, now: Date) throws -> AcknowledgeOutcome {
        try requestWrite { db in
            let incident = try Self.incident(incidentID, in: db)
            if let at = incident.acknowledgedAt {
                try Timeline.append(.acknowledgedAgain, incident: incidentID, actor: person, at: now,
                                    detail: ["via": channel, "first_by": incident.acknowledgedBy ?? "?"], in: db)
                return .alreadyAcknowledged(by: incident.acknowledgedBy ?? "?", at: at)
            }
            var state = try EscalationState.load(incident, in: db)
            if !state.awaiting.isEmpty {
                state.awaiting.removeAll { $0 == person }
                if !state.awaiting.isEmpty {
                    try state.save(in: db)
                    try Timeline.append(.acknowledgedPartially, incident: incidentID, actor: person, at: now,
                                        detail: ["via": channel, "step": "\(state.step)", "waiting_for": state.awaiting.joined(separator: ", ")], in: db)
                    return .partiallyAcknowledged(waitingFor: state.awaiting)
                }
                try state.save(in: db)
            }
            try db.cachedStatement(sql: "UPDATE incident SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?").execute(arguments: [now.millis, person, incidentID])
            try Timeline.append(.acknowledged, incident: incidentID, actor: person, at: now, detail: ["via": channel], in: db)
            try db.cachedStatement(sql: "DELETE FROM timer WHERE kind IN (?, ?) AND incident_id = ?").execute(arguments: [TimerKind.escalation.rawValue, TimerKind.acknowledgementTimeout.rawValue, incidentID])
            // Notices (an earlier acknowledgement timing out) still go: they tell the person what happened.
            let cancelled = try String.fetchAll(try db.cachedStatement(sql: "SELECT idempotency_key FROM page WHERE incident_id = ? AND status = 'pending' AND kind = 'page'"), arguments: [incidentID])
            try db.cachedStatement(sql: "UPDATE page SET status = 'cancelled' WHERE incident_id = ? AND status = 'pending' AND kind = 'page'").execute(arguments: [incidentID])
            for key in cancelled {
                try Timeline.append(.pageCancelled, incident: incidentID, actor: "tocsin", at: now,
                                    detail: ["idempotency_key": key, "reason": "acknowledged"], in: db)
            }
            if let timeout = incident.policy.ackTimeout, try Self.isUnresolved(incident, in: db) {
                try Self.insertTimer(.acknowledgementTimeout, due: now.addingTimeInterval(timeout.seconds), incidentID: incidentID, pass: state.pass, in: db)
            }
            return .acknowledged
        }
    }
}
