import Logging
import NIOCore
import PostgresNIO

/// One connection to the database with the statements prepared on it.
///
/// The server parses and plans an unnamed statement each time it runs; for the store's short
/// statements that is about half of what they cost it. A statement text that comes back is
/// prepared on the connection the second time (the first may be its only one), and from then
/// on only its values are sent. Statements without values (`BEGIN`, `COMMIT`) cost little to
/// parse and are always sent unnamed. Used by one transaction at a time.
final class PreparedStatements: @unchecked Sendable {
    let connection: PostgresConnection
    private var prepared: [String: PreparedQuery] = [:]
    /// Texts sent once and not prepared yet.
    private var seenOnce: Set<String> = []
    /// Statements kept prepared on one connection, at most: a gathered write's text changes
    /// with the number of its rows, and the server keeps each prepared statement's plan.
    static let limit = 400

    init(_ connection: PostgresConnection) {
        self.connection = connection
    }

    /// Sends `statement` after whatever was sent before it on this connection; the rows come
    /// with the answer. Preparing a statement waits for the server's answer to that first.
    func send(_ statement: PostgresStatement, logger: Logger) throws -> EventLoopFuture<[PostgresRow]> {
        let (sql, values) = try statement.rendered()
        if let query = prepared[sql] { return query.execute(values) }
        if !values.isEmpty, seenOnce.remove(sql) != nil {
            if prepared.count >= Self.limit { forgetAll() }
            let query = try PostgresSession.waitPatiently(for: connection.prepare(query: sql), on: connection)
            prepared[sql] = query
            return query.execute(values)
        }
        if !values.isEmpty {
            if seenOnce.count >= Self.limit { seenOnce.removeAll() }
            seenOnce.insert(sql)
        }
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).map(\.rows)
    }

    /// Deallocates every prepared statement; the server answers in turn, nobody waits.
    func forgetAll() {
        for query in prepared.values { query.deallocate().whenComplete { _ in } }
        prepared.removeAll()
    }
}
