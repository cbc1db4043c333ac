import Foundation
import TocsinCore

/// The silences in force at one moment: asked for when a transaction starts, and waited for
/// only when the transaction next waits for an answer (the alert a report repeats, say); or
/// known already (`RememberedSilences`), and then checked with the transaction's writes
/// rather than asked for.
final class ActiveSilences {
    private let asked: (session: PostgresSession, rows: PostgresSession.PendingRows)?
    private var read: [Silence]?

    init(at now: Date, in session: PostgresSession) throws {
        asked = (session, try session.send("""
            SELECT * FROM silence WHERE starts_at <= \(now.millis) AND ends_at > \(now.millis) AND expired_at IS NULL ORDER BY ends_at DESC, id
            """))
    }

    /// `known`: the silences in force, the longest-lasting first.
    init(known: [Silence]) {
        asked = nil
        read = known
    }

    /// The longest-lasting first.
    func all() throws -> [Silence] {
        if let read { return read }
        guard let asked else { return [] }
        let silences = try asked.session.rows(of: asked.rows).map { try $0.silence() }
        read = silences
        return silences
    }

    /// The silence that holds `report`, if any.
    func holding(_ report: AlertReport) throws -> Silence? {
        try all().first { $0.matches(report) }
    }
}
