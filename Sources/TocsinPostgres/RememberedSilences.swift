import Foundation
import PostgresNIO
import Synchronization
import TocsinCore

/// The silences not yet over as this instance last read them, so that a transaction taking in
/// alerts need not ask for them first. The transaction that relies on them checks, in the same
/// statement as its writes, that the database holds exactly these in force; if another
/// instance added or ended one meanwhile, the check fails, the transaction commits nothing,
/// and the silences are read again.
final class RememberedSilences: Sendable {
    /// Longest-lasting first, as `ActiveSilences` orders them; nil until read.
    private let silences = Mutex<[Silence]?>(nil)

    /// Those in force at `now`, if any were read.
    private func inForce(at now: Date) -> ActiveSilences? {
        silences.withLock { silences in silences.map { Self.inForce($0, at: now) } }
    }

    private static func inForce(_ silences: [Silence], at now: Date) -> ActiveSilences {
        ActiveSilences(known: silences.filter { $0.startsAt <= now && $0.endsAt > now })
    }

    /// Those in force at `now`, read again (with those that start later) from the database.
    func refreshed(at now: Date, from connections: PostgresConnections) throws -> ActiveSilences {
        let read = try connections.read { session in
            try session.rows("""
                SELECT * FROM silence WHERE ends_at > \(now.millis) AND expired_at IS NULL ORDER BY ends_at DESC, id
                """).map { try $0.silence() }
        }
        silences.withLock { $0 = read }
        return Self.inForce(read, at: now)
    }

    /// Those in force at `now`, as remembered or, if none are, as read now.
    func current(at now: Date, from connections: PostgresConnections) throws -> ActiveSilences {
        try inForce(at: now) ?? refreshed(at: now, from: connections)
    }

    /// A query of one row that fails (a division by zero) unless the silences in force at `now`
    /// are exactly `expected`: a statement that reads from it commits nothing when they changed.
    /// It is used as a `WITH` clause, or as a value (`PostgresSession.check`).
    static func unchanged(_ expected: ActiveSilences, at now: Date) throws -> PostgresStatement {
        let ids = try expected.all().map(\.id).sorted()
        return """
            SELECT 1 / (ARRAY(SELECT id FROM silence WHERE starts_at <= \(now.millis) AND ends_at > \(now.millis) AND expired_at IS NULL ORDER BY id)
                        = \(ids)::BIGINT[])::INTEGER AS held
            """
    }

    /// Whether `error` is the refusal of a statement whose `unchanged` check failed.
    static func changed(_ error: any Error) -> Bool {
        ServerRefusal(error)?.state == "22012"
    }
}
