import PostgresNIO

/// Writes gathered to go to the server as one statement: each becomes a data-modifying `WITH`
/// clause of `WITH w1 AS (…), w2 AS (…) SELECT 1`, which PostgreSQL runs as one statement in
/// one round trip, where a transaction's dozen inserts would otherwise take a dozen.
///
/// The clauses of one statement all see the database as it was before it, so a write that
/// must see an earlier one (an update or a delete of rows that may have been written, or any
/// write to rows that may have been updated) is not taken: the caller sends what is gathered
/// first. Nor does PostgreSQL run the clauses in the order written, so the rows of one table
/// go in one clause, in order (inserts of the same shape share one `VALUES` list), and their
/// ids keep the order in which they were written.
struct CombinedWrite {
    private var writes: [PostgresWrite] = []
    private var values = 0
    /// A channel to notify when the transaction commits, and when the work it announces falls due.
    var notification: (channel: String, dueAt: Int64)?
    /// Set when the transaction is to commit without waiting for the disk, said with the
    /// writes rather than by a `SET LOCAL` of its own.
    var commitsWithoutWaiting = false
    /// Queries of one value that fail (and so abort the transaction) when something the
    /// transaction relied on without reading it has changed (`RememberedSilences.unchanged`).
    var checks: [PostgresStatement] = []
    /// Well under the protocol's 65,535 values a statement.
    static let valueLimit = 30_000
    /// Past this many clauses, planning a statement costs more than a round trip saves.
    static let writeLimit = 100

    var hasWrites: Bool { !writes.isEmpty }

    /// Nothing to send: a transaction that writes nothing need not say how to commit it.
    var isEmpty: Bool { writes.isEmpty && notification == nil && checks.isEmpty }

    /// Adds `write` if it may share the statement with those gathered; false if not.
    mutating func take(_ write: PostgresWrite) -> Bool {
        let count = write.valueCount
        guard writes.isEmpty || values + count <= Self.valueLimit else { return false }
        if write.access == .inserts, let earlier = writes.firstIndex(where: { $0.table == write.table && $0.access == .inserts }) {
            guard writes[(earlier + 1)...].allSatisfy(write.mayFollow), writes[earlier].appendRows(of: write) else { return false }
            values += count
            return true
        }
        if !writes.isEmpty {
            if writes.count >= Self.writeLimit { return false }
            if !writes.allSatisfy(write.mayFollow) { return false }
        }
        writes.append(write)
        values += count
        return true
    }

    /// The gathered writes as clauses of a `WITH`, each insert into `returning` returning its
    /// rows' ids and keys.
    private func clauses(returning: String? = nil) -> PostgresStatement {
        var statement: PostgresStatement = ""
        for (index, write) in writes.enumerated() {
            statement.append(PostgresStatement(stringLiteral: index == 0 ? "w0 AS (" : ", w\(index) AS ("))
            statement.append(write.statement)
            if write.table == returning, write.access == .inserts { statement.append(" RETURNING id, idempotency_key") }
            statement.append(")")
        }
        return statement
    }

    /// The statement that runs every gathered write, the notification, the setting and the
    /// checks, and an empty gathering.
    mutating func statement() -> PostgresStatement {
        let selected = selected()
        if writes.count == 1, selected.isEmpty { return cleared(writes[0].statement) }
        let list = selected.isEmpty ? "1" : Self.list(selected)
        return cleared(writes.isEmpty ? "SELECT " + list : "WITH " + clauses() + " SELECT " + list)
    }

    /// The statement that runs `lead` (clauses of a `WITH`), then every gathered write, and
    /// selects the checks, the notification, the setting and `extra`, with the ids and keys of
    /// the pages inserted (`page_ids`, `page_keys`, in the order of their ids); and an empty
    /// gathering. A transaction of its own, sent alone.
    mutating func statement(after lead: PostgresStatement, selecting extra: [PostgresStatement]) -> PostgresStatement {
        let pages = writes.indices.filter { writes[$0].table == "page" && writes[$0].access == .inserts }.map { "SELECT id, idempotency_key FROM w\($0)" }
        let inserted = pages.isEmpty ? "SELECT NULL::BIGINT AS id, NULL::TEXT AS idempotency_key WHERE false" : pages.joined(separator: " UNION ALL ")
        // The checks first: the server works out the list in order, so that one which fails
        // stops it before `extra` (the next values of sequences) is reached.
        let selected = selected() + extra + [
            PostgresStatement(stringLiteral: "ARRAY(SELECT id FROM (\(inserted)) p ORDER BY id) AS page_ids"),
            PostgresStatement(stringLiteral: "ARRAY(SELECT idempotency_key FROM (\(inserted)) p ORDER BY id) AS page_keys"),
        ]
        let body = writes.isEmpty ? lead : lead + ", " + clauses(returning: "page")
        return cleared("WITH " + body + " SELECT " + Self.list(selected))
    }

    private static func list(_ selected: [PostgresStatement]) -> PostgresStatement {
        selected.dropFirst().reduce(selected[0]) { $0 + ", " + $1 }
    }

    /// The checks, the notification and the setting as values to select.
    private func selected() -> [PostgresStatement] {
        var selected: [PostgresStatement] = checks.map { "(" + $0 + ")" }
        if let notification { selected.append("pg_notify(\(notification.channel), \(String(notification.dueAt)))") }
        // Local to the transaction, as `SET LOCAL` is.
        if commitsWithoutWaiting { selected.append("set_config('synchronous_commit', 'off', true)") }
        return selected
    }

    /// `statement`, with the gathering emptied.
    private mutating func cleared(_ statement: PostgresStatement) -> PostgresStatement {
        writes.removeAll(keepingCapacity: true)
        values = 0
        notification = nil
        commitsWithoutWaiting = false
        checks.removeAll()
        return statement
    }
}
