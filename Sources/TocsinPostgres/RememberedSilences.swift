import Foundation
import PostgresNIO
import Synchronization
import TocsinCore

/// The silences not yet over as this instance last read them, so that a batch of new alerts
/// need not ask for them first. The transaction that relies on them checks, in the same round
/// statement as its writes, that the database holds exactly these in force; if another
/// instance added or ended one meanwhile, the check fails, the statement commits nothing, and
/// the silences are read again.
final class RememberedSilences: Sendable {
    /// Longest-lasting first, as `ActiveSilences` orders them; nil until read.
    private let silences = Mutex<[Silence]?>(nil)

    /// Those in force at `now`, if any were read.
    func inForce(at now: Date) -> ActiveSilences? {
        silences.withLock { silences in
            silences.map { ActiveSilences(known: $0.filter { $0.startsAt <= now && $0.endsAt > now }) }
        }
    }

    /// Reads again the silences that are not over at `now`.
    func refresh(at now: Date, from connections: PostgresConnections) throws {
        let read = try connections.read { session in
            try session.rows("""
                SELECT * FROM silence WHERE ends_at > \(now.millis) AND expired_at IS NULL ORDER BY ends_at DESC, id
                """).map { try $0.silence() }
        }
        silences.withLock { $0 = read }
    }

    /// A query of one row that fails (a division by zero) unless the silences in force at `now`
    /// are exactly `expected`: a statement that reads from it commits nothing when they changed.
    static func unchanged(_ expected: ActiveSilences, at now: Date) throws -> PostgresStatement {
        let ids = try expected.all().map(\.id).sorted()
        return """
            SELECT 1 / (ARRAY(SELECT id FROM silence WHERE starts_at <= \(now.millis) AND ends_at > \(now.millis) AND expired_at IS NULL ORDER BY id)
                        = \(ids)::BIGINT[])::INTEGER AS held
            """
    }
}
