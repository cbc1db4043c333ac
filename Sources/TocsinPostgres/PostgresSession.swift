import Logging
import PostgresNIO

/// One connection inside one transaction: runs statements one after another and waits for
/// each answer. The store's operations are synchronous, like the SQLite store's; they run on
/// the engine's threads and in request handlers, never on an event loop.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try connection.query(query, logger: logger).wait().rows.map { $0.makeRandomAccess() }
    }

    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }

    func execute(_ query: PostgresQuery) throws {
        _ = try connection.query(query, logger: logger).wait()
    }

    /// The first column of the first row, if there is one and it is not NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) throws -> T? {
        guard let cell = try row(query)?[0], cell.bytes != nil else { return nil }
        return try cell.decode(T.self)
    }
}
