import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import TocsinCore
import TocsinStore

/// The record in PostgreSQL, shared by several `tocsind`: any instance takes any request,
/// and the database alone decides what two of them do at once. An alert reaching two
/// instances is one alert (a unique index on open alerts); writes to one incident take turns
/// (its row is locked), so its hash chain stays one line; a due timer is fired by the one
/// instance that locks it; a page being sent is leased to one instance, and sent again under
/// the same idempotency key by another if that lease lapses.
public final class PostgresIncidentStore: IncidentStore {
    let connections: PostgresConnections
    /// This instance's name on the pages it leases.
    public let instance: String
    /// How long a claimed page is this instance's before another may send it.
    let lease: Duration
    /// This instance's commits; those of the other instances are found by reading the record.
    public let changes: RecordChanges
    /// The silences new alerts are matched against without asking first.
    let silences = RememberedSilences()
    /// The ids of the next incident this instance opens in one statement.
    let spareIDs = SpareIDs()
    /// Where this instance's commits left incidents' hash chains.
    let chainEnds: RememberedChainEnds

    /// Connects through `open` (called again whenever a connection is needed and none is idle)
    /// and brings the schema up to date.
    public init(instance: String, lease: Duration = .seconds(30), now: Date, logger: Logger = Logger(label: "tocsin.postgres"),
                open: @escaping @Sendable () throws -> PostgresConnection) throws {
        self.instance = instance
        self.lease = lease
        let changes = RecordChanges(unheardCommitsWithin: .seconds(2))
        self.changes = changes
        let chainEnds = RememberedChainEnds()
        self.chainEnds = chainEnds
        connections = PostgresConnections(logger: logger, committed: { ends in
            changes.committed()
            chainEnds.remember(ends)
        }, open: open)
        try PostgresSchema.migrate(connections, now: now.millis)
    }

    deinit {
        connections.close()
    }

    public func incidents() throws -> [Incident] {
        try connections.read { session in try session.rows("SELECT * FROM incident ORDER BY id DESC").map { try $0.incident() } }
    }

    public func incident(_ id: Int64) throws -> Incident {
        try connections.read { session in try Self.incident(id, in: session) }
    }

    /// The incident, its row locked for the rest of the transaction when `locked`.
    static func incident(_ id: Int64, locked: Bool = false, in session: PostgresSession) throws -> Incident {
        let query: PostgresStatement = locked ? "SELECT * FROM incident WHERE id = \(id) FOR UPDATE" : "SELECT * FROM incident WHERE id = \(id)"
        guard let row = try session.row(query) else { throw StoreError.incidentNotFound(id) }
        if locked { session.lockedIncidents.insert(id) }
        return try row.incident()
    }

    /// Locks the incident's row for the rest of the transaction, unless it already is.
    static func lockIncident(_ id: Int64, in session: PostgresSession) throws {
        guard session.lockedIncidents.insert(id).inserted else { return }
        try session.execute("SELECT 1 FROM incident WHERE id = \(id) FOR UPDATE")
    }

    public func timeline(_ incidentID: Int64) throws -> [TimelineEvent] {
        try connections.read { session in
            _ = try Self.incident(incidentID, in: session)
            return try Self.timeline(incidentID, in: session)
        }
    }

    public func timeline(_ incidentID: Int64, after sequence: Int) throws -> [TimelineEvent] {
        try connections.read { session in
            try session.rows("SELECT * FROM event WHERE incident_id = \(incidentID) AND seq > \(sequence) ORDER BY seq").map { try $0.timelineEvent() }
        }
    }

    public func timeline(_ incidentID: Int64, before sequence: Int?, limit: Int) throws -> [TimelineEvent] {
        try connections.read { session in
            _ = try Self.incident(incidentID, in: session)
            return try session.rows("SELECT * FROM event WHERE incident_id = \(incidentID) AND seq < \(sequence ?? Int(Int32.max)) ORDER BY seq DESC LIMIT \(limit)")
                .reversed().map { try $0.timelineEvent() }
        }
    }

    public func timeline(_ incidentID: Int64, kinds: Set<TimelineEventKind>) throws -> [TimelineEvent] {
        try connections.read { session in
            _ = try Self.incident(incidentID, in: session)
            return try session.rows("SELECT * FROM event WHERE incident_id = \(incidentID) AND kind = ANY(\(kinds.map(\.rawValue).sorted())) ORDER BY seq")
                .map { try $0.timelineEvent() }
        }
    }

    static func timeline(_ incidentID: Int64, in session: PostgresSession) throws -> [TimelineEvent] {
        try session.rows("SELECT * FROM event WHERE incident_id = \(incidentID) ORDER BY seq").map { try $0.timelineEvent() }
    }

    public func procedureRecord(_ incidentID: Int64) throws -> ProcedureRecord {
        try connections.read { session in
            _ = try Self.incident(incidentID, in: session)
            return try Self.procedureRecord(incidentID, in: session)
        }
    }

    static func procedureRecord(_ incidentID: Int64, in session: PostgresSession) throws -> ProcedureRecord {
        let json = try session.value("SELECT procedure FROM incident WHERE id = \(incidentID)", as: String.self) ?? "{}"
        return (try? JSONText.decoder.decode(ProcedureRecord.self, from: Data(json.utf8))) ?? ProcedureRecord()
    }

    public func nextWakeTime() throws -> Date? {
        [try nextTimerDue(justCommitted: false), try nextPageDue(excluding: [], justCommitted: false)].compactMap { $0 }.min()
    }

    public func alerts(status: AlertStatus?, limit: Int) throws -> [AlertRecord] {
        try connections.read { session in
            let rows = if let status {
                try session.rows("SELECT * FROM alert WHERE status = \(status.rawValue) ORDER BY id DESC LIMIT \(limit)")
            } else {
                try session.rows("SELECT * FROM alert ORDER BY id DESC LIMIT \(limit)")
            }
            return try rows.map { try $0.alertRecord() }
        }
    }

    public func alerts(ofIncident incidentID: Int64, limit: Int) throws -> [AlertRecord] {
        try connections.read { session in
            try session.rows("SELECT * FROM alert WHERE incident_id = \(incidentID) ORDER BY id DESC LIMIT \(limit)").map { try $0.alertRecord() }
        }
    }

    public func alertCounts() throws -> AlertCounts {
        try connections.read { session in
            AlertCounts(firing: try session.value("SELECT COUNT(*) FROM alert WHERE status = 'firing'", as: Int.self) ?? 0,
                        resolved: try session.value("SELECT COUNT(*) FROM alert WHERE status = 'resolved'", as: Int.self) ?? 0)
        }
    }
}
