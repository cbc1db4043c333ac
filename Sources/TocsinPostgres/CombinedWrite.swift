import PostgresNIO

/// Writes gathered to go to the server as one statement: each becomes a data-modifying `WITH`
/// clause of `WITH w1 AS (…), w2 AS (…) SELECT 1`, which PostgreSQL runs as one statement in
/// one round trip, where a transaction's dozen inserts would otherwise take a dozen.
///
/// The clauses of one statement all see the database as it was before it, so a write that
/// must see an earlier one (an update or a delete of a table already written, or any write
/// to a table already updated) is not taken: the caller sends what is gathered first.
struct CombinedWrite {
    private var writes: [PostgresWrite] = []
    private var access: [String: PostgresWrite.Access] = [:]
    private var values = 0
    /// A channel to notify when the transaction commits, said once however often asked.
    var notification: String?
    /// Well under the protocol's 65,535 values a statement.
    static let valueLimit = 30_000

    var isEmpty: Bool { writes.isEmpty && notification == nil }

    /// Adds `write` if it may share the statement with those gathered; false if not.
    mutating func take(_ write: PostgresWrite) -> Bool {
        let (table, kind) = write.target
        let count = write.valueCount
        if !writes.isEmpty {
            if let earlier = access[table], earlier == .changes || kind == .changes { return false }
            if values + count > Self.valueLimit { return false }
        }
        writes.append(write)
        access[table] = kind
        values += count
        return true
    }

    /// The statement that runs every gathered write and the notification, and an empty gathering.
    mutating func statement() throws -> PostgresQuery {
        defer {
            writes.removeAll(keepingCapacity: true)
            access.removeAll(keepingCapacity: true)
            values = 0
            notification = nil
        }
        var query = PostgresQuery.StringInterpolation(literalCapacity: 256 * writes.count, interpolationCount: values)
        if writes.count == 1, notification == nil {
            try writes[0].append(to: &query)
        } else {
            for (index, write) in writes.enumerated() {
                query.appendLiteral(index == 0 ? "WITH w0 AS (" : ", w\(index) AS (")
                try write.append(to: &query)
                query.appendLiteral(")")
            }
            query.appendLiteral(" SELECT ")
            if let notification {
                query.appendLiteral("pg_notify(")
                query.appendInterpolation(notification)
                query.appendLiteral(", '')")
            } else {
                query.appendLiteral("1")
            }
        }
        return PostgresQuery(stringInterpolation: query)
    }
}
