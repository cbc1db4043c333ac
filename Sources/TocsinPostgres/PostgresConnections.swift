import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import TocsinStore

/// The store's connections to the database: each transaction takes an idle one, or opens a
/// new one through `open`, and gives it back when done. A connection that broke is dropped,
/// so the next transaction opens a fresh one (to a promoted replica, after a failover).
final class PostgresConnections: Sendable {
    let open: @Sendable () throws -> PostgresConnection
    private let idle = Mutex<[PreparedStatements]>([])
    let logger: Logger
    /// Told of each transaction once it has committed, with where it left the hash chains of
    /// the incidents it locked.
    private let committed: @Sendable (_ chainEnds: [Int64: RememberedChainEnds.End]) -> Void

    init(logger: Logger, committed: @escaping @Sendable (_ chainEnds: [Int64: RememberedChainEnds.End]) -> Void = { _ in },
         open: @escaping @Sendable () throws -> PostgresConnection) {
        self.logger = logger
        self.committed = committed
        self.open = open
    }

    /// Runs `body` in one transaction and commits it. A transaction the database aborted to
    /// break a deadlock or a serialization conflict with another instance is run again.
    func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try run(framed: true, commits: true, body)
    }

    /// Runs `body`, which sends one statement, as a transaction of its own, as `transaction`
    /// does but without `BEGIN` and `COMMIT`. The connection sends one statement at a time and
    /// waits for its answer before the next, so those two would cost two round trips more; the
    /// server commits a statement sent alone (and, with `synchronous_commit = on`, answers
    /// once the commit is durable) by itself.
    func alone<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try run(framed: false, commits: true, body)
    }

    /// Runs `body` outside a transaction, for reads.
    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try run(framed: false, commits: false, body)
    }

    /// Runs `body` on a connection, between `BEGIN` and `COMMIT` when `framed`, and tells of
    /// the commit when it `commits`. Work the server refused for a conflict, or because a
    /// statement prepared on the connection went stale, runs again.
    private func run<T>(framed: Bool, commits: Bool, _ body: (PostgresSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let session = try take()
            do {
                if framed { try session.execute("BEGIN") }
                let result = try body(session)
                if framed { try session.execute("COMMIT") }
                try session.finish()
                giveBack(session.statements)
                if commits { committed(session.chainEnds) }
                return result
            } catch where Self.isConflict(error) && attempt < 5 {
                end(session, framed: framed)
            } catch where Self.isStalePlan(error) && attempt < 5 {
                try? session.finish()
                drop(session.statements)
            } catch {
                let translated = Self.translate(error)
                if case StoreError.unavailable = translated {
                    drop(session.statements)
                } else {
                    end(session, framed: framed)
                }
                throw translated
            }
        }
    }

    /// Ends work that failed, waiting for whatever it still had in flight (and rolling back its
    /// transaction when `framed`), so that the connection is idle and outside any transaction
    /// when it is given back.
    private func end(_ session: PostgresSession, framed: Bool) {
        try? session.finish()
        if framed { try? session.execute("ROLLBACK") }
        if (try? session.finish()) != nil {
            giveBack(session.statements)
        } else {
            drop(session.statements)
        }
    }

    /// Closes the idle connections without waiting for them to close: the store may be let go
    /// on an event loop's thread, where waiting is forbidden.
    func close() {
        for statements in idle.withLock({ list in defer { list.removeAll() }; return list }) {
            Self.close(statements.connection)
        }
    }

    /// Asks `connection` to close and keeps it until it has: a connection must not be let go open.
    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func take() throws -> PostgresSession {
        // A connection the server closed while it was idle (a restart, a failover) is dropped:
        // a statement sent on it would never be answered.
        while let statements = idle.withLock({ $0.popLast() }) {
            if !statements.connection.isClosed { return PostgresSession(statements: statements, logger: logger) }
        }
        do {
            return PostgresSession(statements: PreparedStatements(try open()), logger: logger)
        } catch {
            throw StoreError.unavailable("the database cannot be reached: \(error)")
        }
    }

    private func giveBack(_ statements: PreparedStatements) {
        guard !statements.connection.isClosed else { return }
        idle.withLock { $0.append(statements) }
    }

    /// Closes a connection that broke mid-transaction, so that it is not used again.
    private func drop(_ statements: PreparedStatements) {
        Self.close(statements.connection)
    }

    /// A deadlock or serialization failure: the transaction did nothing and may run again.
    static func isConflict(_ error: any Error) -> Bool {
        guard let refusal = ServerRefusal(error) else { return false }
        return refusal.state == "40001" || refusal.state == "40P01"
    }

    /// A statement prepared before another instance's migration changed the shape of its
    /// answer (a column added during a rolling upgrade): the server refuses to run it. The
    /// connection is closed, which forgets every statement prepared on it, and the work runs
    /// again on another.
    static func isStalePlan(_ error: any Error) -> Bool {
        guard let refusal = ServerRefusal(error) else { return false }
        return refusal.state == "0A000" && refusal.message.hasPrefix("cached plan must not change result type")
    }

    /// A refusal of the database (down, read-only, starting up) as the store's own error;
    /// anything else (a bug, a constraint Tocsin did not expect) as it is.
    static func translate(_ error: any Error) -> any Error {
        if let refusal = ServerRefusal(error) {
            // 25006 read-only transaction; 57P01-57P03 shutting down or starting; 08xxx connection.
            if refusal.state == "25006" || refusal.state.hasPrefix("57P") || refusal.state.hasPrefix("08") {
                return StoreError.unavailable("the database refused the write: \(refusal.message)")
            }
            return error
        }
        switch error {
        case is ChannelError, is IOError, PostgresError.connectionClosed, PostgresError.protocol(_):
            return StoreError.unavailable("the database connection broke: \(describe(error))")
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .sslUnsupported:
                return StoreError.unavailable("the database connection broke: \(describe(error))")
            default:
                return error
            }
        default:
            return error
        }
    }

    static func describe(_ error: any Error) -> String {
        if let refusal = ServerRefusal(error) { return refusal.message }
        if let error = error as? PSQLError { return "\(error.code)" }
        return "\(error)"
    }
}
