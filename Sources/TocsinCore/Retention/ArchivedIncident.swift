import Foundation

/// What the database keeps of an incident once it is archived and removed: where its hash
/// chain ended. The archive file must end with the same event, so the file can be checked
/// against the database, and the removal is itself on record rather than a silent gap.
public struct ArchivedIncident: Sendable, Hashable, Codable {
    public var incidentID: Int64
    public var closedAt: Date
    public var archivedAt: Date
    /// How many events the chain held.
    public var events: Int
    /// The hash of the chain's last event: the anchor the file is checked against.
    public var lastHash: String
    /// The archive file's name in the retention directory.
    public var file: String

    public init(incidentID: Int64, closedAt: Date, archivedAt: Date, events: Int, lastHash: String, file: String) {
        self.incidentID = incidentID
        self.closedAt = closedAt
        self.archivedAt = archivedAt
        self.events = events
        self.lastHash = lastHash
        self.file = file
    }

    /// The anchor of an export about to be archived.
    public init(_ export: IncidentExport, closedAt: Date, archivedAt: Date) {
        self.init(incidentID: export.incident.id, closedAt: closedAt, archivedAt: archivedAt, events: export.events.count,
                  lastHash: export.events.last?.hash ?? TimelineEvent.genesisHash, file: Retention.incidentFile(export.incident.id))
    }

    /// Why `export` is not this incident's archive, or nil when its chain is intact and ends
    /// where the database says it did.
    public func problem(with export: IncidentExport) -> String? {
        if export.incident.id != incidentID {
            return "it holds incident \(export.incident.id), not \(incidentID)"
        }
        if let broken = export.timelineEvents.chainProblem() {
            return "event \(broken.event.sequence) (\(broken.event.kind.rawValue)) does not match: \(broken.reason)"
        }
        if export.events.count != events || export.events.last?.hash != lastHash {
            return "its chain ends at event \(export.events.count) with hash \(export.events.last?.hash.prefix(12) ?? "none"), "
                + "but the database archived \(events) events ending with \(lastHash.prefix(12))"
        }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case incidentID = "incident_id", closedAt = "closed_at", archivedAt = "archived_at", events, lastHash = "last_hash", file
    }
}
