import PostgresNIO
import Synchronization

/// An alert id and an incident id this instance took from their sequences ahead of the opening
/// that will use them (`FreshOpening`): the incident's timeline hashes and its pages' keys carry
/// its id, which must be known before the statement that inserts it is written. Each opening
/// takes the pair for the next with it; an opening that did not happen gives its pair back, and
/// the next incident opened by a transaction takes it (`PostgresSession.spareIDs`), so that
/// numbers are not skipped.
///
/// Ids are unique, as the sequences give them, but an incident opened through another instance
/// meanwhile may have the higher number though it opened later.
final class SpareIDs: Sendable {
    typealias Pair = (alert: Int64, incident: Int64)
    private let spare = Mutex<Pair?>(nil)

    /// The spare pair, or one taken from the sequences now when there is none.
    func take(from connections: PostgresConnections) throws -> Pair {
        if let pair = takeIfAny() { return pair }
        return try connections.read { session in
            let row = try session.row("SELECT nextval('alert_id_seq'), nextval('incident_id_seq')")!
            return (try row[0].decoded(Int64.self), try row[1].decoded(Int64.self))
        }
    }

    /// The spare pair, if there is one, for an opening that can do without.
    func takeIfAny() -> Pair? {
        spare.withLock { spare in defer { spare = nil }; return spare }
    }

    /// Keeps `pair` for the next opening.
    func keep(_ pair: Pair) {
        spare.withLock { $0 = pair }
    }

    /// The next values of both sequences, selected with an opening's statement.
    static let next: [PostgresStatement] = ["nextval('alert_id_seq') AS next_alert", "nextval('incident_id_seq') AS next_incident"]
}
