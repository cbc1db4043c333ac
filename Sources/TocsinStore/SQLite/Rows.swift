import Foundation
import GRDB
import TocsinCore

/// Reading domain values out of database rows.
extension Incident {
    init(row: Row) throws {
        let policyJSON: String = row["policy"]
        self.init(
            id: row["id"],
            title: row["title"],
            service: row["service"],
            severity: Severity(clamping: row["severity"]),
            stage: Stage(rawValue: row["stage"]) ?? .reported,
            runbookID: row["runbook_id"],
            openedAt: Date(millis: row["opened_at"]),
            acknowledgedAt: (row["acknowledged_at"] as Int64?).map(Date.init(millis:)),
            acknowledgedBy: row["acknowledged_by"],
            policy: try Snapshots.policies.value(of: policyJSON),
            isDrill: (row["drill"] as Bool?) ?? false,
            silentInDrill: ((row["drill_silent"] as String?) ?? "").split(separator: ",").map(String.init)
        )
    }
}

extension TimelineEvent {
    init(row: Row) throws {
        let detailJSON: String = row["detail"]
        let kindName: String = row["kind"]
        self.init(
            incidentID: row["incident_id"],
            sequence: row["seq"],
            at: Date(millis: row["at"]),
            kind: TimelineEventKind(rawValue: kindName) ?? .escalated,
            actor: row["actor"],
            detail: try JSONText.stringMap(detailJSON),
            previousHash: row["prev_hash"],
            // The stored hash, not a recomputed one, so tampering stays visible.
            hash: row["hash"]
        )
    }
}

extension AlertReport {
    init(row: Row) throws {
        let labelsJSON: String = row["labels"]
        self.init(
            source: row["source"],
            dedupKey: row["dedup_key"],
            summary: row["summary"],
            service: row["service"],
            labels: try JSONDecoder().decode([String: String].self, from: Data(labelsJSON.utf8)),
            status: AlertStatus(rawValue: row["status"]) ?? .firing,
            startsAt: Date(millis: row["starts_at"]),
            details: try JSONDecoder().decode([String: String].self, from: Data((row["details"] as String? ?? "{}").utf8))
        )
    }
}

extension OutboundPage {
    init(row: Row) {
        self.init(id: row["id"], incidentID: row["incident_id"] ?? PageRequest.noIncident, idempotencyKey: row["idempotency_key"],
                  person: row["person"], channel: row["channel"], url: row["url"], body: row["body"],
                  contentType: row["content_type"] ?? "application/json",
                  isExternal: row["audience"] == "external")
    }
}
