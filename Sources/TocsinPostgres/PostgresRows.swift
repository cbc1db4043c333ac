import Foundation
import PostgresNIO
import TocsinCore
import TocsinStore

/// Reading domain values out of rows, as the SQLite store reads them out of its own.
extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decoded(T.self)
    }

    func date(_ column: String) throws -> Date {
        Date(millis: try value(column, as: Int64.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try value(column, as: Int64?.self).map(Date.init(millis:))
    }

    /// Where an incident's timeline ends, from the `chain_seq` and `chain_hash` a read selected
    /// (its start when it has no event yet).
    func chainEnd() throws -> (sequence: Int, hash: String) {
        (try value("chain_seq", as: Int?.self) ?? 0, try value("chain_hash", as: String?.self) ?? TimelineEvent.genesisHash)
    }

    func incident() throws -> Incident {
        Incident(id: try value("id"), title: try value("title"), service: try value("service"),
                 severity: Severity(clamping: try value("severity", as: Int.self)), stage: Stage(rawValue: try value("stage")) ?? .reported,
                 runbookID: try value("runbook_id"), openedAt: try date("opened_at"), acknowledgedAt: try optionalDate("acknowledged_at"),
                 acknowledgedBy: try value("acknowledged_by"), policy: try Snapshots.policies.value(of: try value("policy")),
                 isDrill: try value("drill", as: Bool.self), silentInDrill: try value("drill_silent", as: String.self).split(separator: ",").map(String.init))
    }

    func timelineEvent() throws -> TimelineEvent {
        TimelineEvent(incidentID: try value("incident_id"), sequence: try value("seq"), at: try date("at"),
                      kind: TimelineEventKind(rawValue: try value("kind")) ?? .escalated, actor: try value("actor"),
                      detail: try JSONText.stringMap(try value("detail")), previousHash: try value("prev_hash"),
                      // The stored hash, not a recomputed one, so tampering stays visible.
                      hash: try value("hash"))
    }

    func alertReport() throws -> AlertReport {
        AlertReport(source: try value("source"), dedupKey: try value("dedup_key"), summary: try value("summary"), service: try value("service"),
                    labels: try JSONText.stringMap(try value("labels")), status: AlertStatus(rawValue: try value("status")) ?? .firing,
                    startsAt: try date("starts_at"), details: try JSONText.stringMap(try value("details")))
    }

    func alertRecord() throws -> AlertRecord {
        AlertRecord(id: try value("id"), report: try alertReport(), severity: Severity(clamping: try value("severity", as: Int.self)),
                    firstReceivedAt: try date("first_received_at"), lastReceivedAt: try date("last_received_at"),
                    receiveCount: try value("receive_count"), endsAt: try optionalDate("ends_at"), incidentID: try value("incident_id"),
                    silencedBy: try value("silenced_by"))
    }

    func outboundPage() throws -> OutboundPage {
        var body = try value("body", as: ByteBuffer.self)
        return OutboundPage(id: try value("id"), incidentID: try value("incident_id", as: Int64?.self) ?? PageRequest.noIncident, idempotencyKey: try value("idempotency_key"),
                            person: try value("person"), channel: try value("channel"), url: try value("url"),
                            body: Data(body.readBytes(length: body.readableBytes) ?? []), contentType: try value("content_type"),
                            isExternal: try value("audience", as: String.self) == "external")
    }

    func silence() throws -> Silence {
        Silence(id: try value("id"), matchers: try JSONText.decoder.decode([SilenceMatcher].self, from: Data(try value("matchers", as: String.self).utf8)),
                startsAt: try date("starts_at"), endsAt: try date("ends_at"), createdBy: try value("created_by"), comment: try value("comment"),
                createdAt: try date("created_at"), expiredAt: try optionalDate("expired_at"), expiredBy: try value("expired_by"))
    }

    func escalationState(of incident: Incident) throws -> EscalationState {
        EscalationState(incidentID: incident.id, pass: try value("pass"), passReason: try value("pass_reason"), epoch: try date("epoch_at"),
                        repeatsDone: try value("repeats_done"), step: try value("step"), awaiting: try JSONText.stringList(try value("awaiting")))
    }
}

extension PostgresCell {
    /// The cell's value. Every answer comes in binary, as the connection asks for it, but the
    /// cells of a prepared statement's answer say they are text (the server describes a
    /// statement before the format is chosen): read as binary whatever they say.
    func decoded<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        var cell = self
        cell.format = .binary
        return try cell.decode(T.self)
    }
}
