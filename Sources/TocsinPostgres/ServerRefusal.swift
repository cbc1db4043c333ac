import PostgresNIO

/// What the server said when it refused a statement. PostgresNIO reports it in one of two
/// error types (a prepared statement's in the older one), so the store reads it through this.
struct ServerRefusal {
    /// The five-character SQLSTATE: `40P01` a deadlock, `25006` a read-only transaction…
    let state: String
    let message: String

    init?(_ error: any Error) {
        if let error = error as? PSQLError, let info = error.serverInfo {
            state = info[.sqlState] ?? ""
            message = info[.message] ?? ""
        } else if case .server(let refusal)? = error as? PostgresError {
            state = refusal.fields[.sqlState] ?? ""
            message = refusal.fields[.message] ?? ""
        } else {
            return nil
        }
    }
}
