import Logging
import NIOCore
import PostgresNIO
import TocsinStore

/// One connection inside one transaction: runs statements one after another and waits for
/// each answer. The store's operations are synchronous, like the SQLite store's; they run on
/// the engine's threads and in request handlers, never on an event loop.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try answer(to: query).rows.map { $0.makeRandomAccess() }
    }

    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }

    func execute(_ query: PostgresQuery) throws {
        _ = try answer(to: query)
    }

    /// How long a statement may go unanswered before its connection is given up: the store
    /// answers "unavailable" rather than hang when the server vanishes mid-statement.
    static let patience: TimeAmount = .seconds(30)

    private func answer(to query: PostgresQuery) throws -> PostgresQueryResult {
        let answered = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        connection.query(query, logger: logger).cascade(to: answered)
        let deadline = connection.eventLoop.scheduleTask(in: Self.patience) { [connection] in
            answered.fail(StoreError.unavailable("the database did not answer within \(Self.patience.nanoseconds / 1_000_000_000) s"))
            connection.close().whenComplete { _ in }
        }
        defer { deadline.cancel() }
        return try answered.futureResult.wait()
    }

    /// The first column of the first row, if there is one and it is not NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) throws -> T? {
        guard let cell = try row(query)?[0], cell.bytes != nil else { return nil }
        return try cell.decode(T.self)
    }
}
