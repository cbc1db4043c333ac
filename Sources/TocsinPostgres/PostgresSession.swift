import Foundation
import Logging
import NIOCore
import PostgresNIO
import TocsinStore

/// One connection inside one transaction: runs statements one after another on the server.
/// The store's operations are synchronous, like the SQLite store's; they run on the engine's
/// threads and in request handlers, never on an event loop.
///
/// A statement whose answer nobody reads (`execute`: an insert, an update, `BEGIN`) is handed
/// to the connection without waiting for it: the connection sends it once the statement
/// before it is answered, and the caller waits only when it next needs an answer (`rows`,
/// `value`) or at `finish`. A statement handed on that fails is reported there, before
/// anything that followed it. Each statement still costs a round trip to the server.
///
/// Writes (`write`) are not even handed on at once: they are gathered into one statement
/// (`CombinedWrite`), sent when a write cannot join it, before anything else is sent, or at
/// `finish`. A transaction's inserts then cost one round trip, not one each; what goes with
/// them but need not precede a read (a notification, a setting, a check) waits for them.
final class PostgresSession {
    let statements: PreparedStatements
    var connection: PostgresConnection { statements.connection }
    let logger: Logger
    /// Statements handed to the connection whose answers have not been looked at, oldest first.
    private var unanswered: [EventLoopFuture<[PostgresRow]>] = []
    private var gathered = CombinedWrite()
    /// The last event appended in this transaction to each incident whose row it has locked.
    var chainEnds: [Int64: (sequence: Int, hash: String)] = [:]
    /// Incidents whose row this transaction has locked.
    var lockedIncidents: Set<Int64> = []
    /// Set when the transaction leases the pages it queues that are due at once to this instance.
    var commitClaim: PostgresCommitClaim?
    /// Ids reserved for the next alert that opens an incident in this transaction; nil once
    /// an insert took them.
    var spareIDs: SpareIDs.Pair?
    /// Set when the pages with these keys are inserted already leased to this instance.
    var leaseAtInsert: PageLease?
    /// Set when everything the session writes must go to the server as one statement
    /// (`sendAll`): whatever would be sent before it fails instead, with nothing sent.
    var sendsOneStatement = false
    /// The earliest due time of the timers this transaction wrote or moved.
    private(set) var earliestTimerWritten: Date?
    /// The earliest due time of the pages this transaction queued that it does not lease.
    private(set) var earliestPageWritten: Date?

    init(statements: PreparedStatements, logger: Logger) {
        self.statements = statements
        self.logger = logger
    }

    func rows(_ query: PostgresStatement) throws -> [PostgresRandomAccessRow] {
        try rows(of: send(query))
    }

    /// A read handed to the connection, whose answer is waited for only when asked: the
    /// caller's thread waits once for several reads, not once for each.
    struct PendingRows {
        fileprivate let answer: EventLoopFuture<[PostgresRow]>

        /// The rows, once the transaction that sent the read has finished.
        func finished() throws -> [PostgresRandomAccessRow] {
            try answer.wait().map { $0.makeRandomAccess() }
        }
    }

    func send(_ query: PostgresStatement) throws -> PendingRows {
        try sendGathered(beforeRead: true)
        return PendingRows(answer: try hand(query))
    }

    /// Hands `statement` to the connection and keeps its answer for `finish`. Preparing it waits
    /// for the server, which refuses anything once an earlier statement of the transaction has
    /// failed: that earlier failure is the one reported.
    @discardableResult
    private func hand(_ statement: PostgresStatement) throws -> EventLoopFuture<[PostgresRow]> {
        if sendsOneStatement {
            gathered = CombinedWrite()
            throw MoreThanOneStatement()
        }
        let answer: EventLoopFuture<[PostgresRow]>
        do {
            answer = try statements.send(statement, logger: logger)
        } catch {
            try finish()
            throw error
        }
        unanswered.append(answer)
        return answer
    }

    /// The answer to `pending`, once every statement handed on before it is answered; what is
    /// gathered since stays gathered.
    func rows(of pending: PendingRows) throws -> [PostgresRandomAccessRow] {
        try waitForAnswers()
        return try pending.finished()
    }

    func row(_ query: PostgresStatement) throws -> PostgresRandomAccessRow? {
        try rows(query).first
    }

    func execute(_ query: PostgresStatement) throws {
        try sendGathered()
        try hand(query)
    }

    /// An insert, update or delete that touches only rows of `incident`.
    func write(_ write: PostgresWrite, incident: Int64) throws {
        var write = write
        write.incidents = [incident]
        try self.write(write)
    }

    /// An insert, update or delete, sent with the writes around it where it can be.
    func write(_ write: PostgresWrite) throws {
        if !gathered.take(write) {
            try sendGathered()
            _ = gathered.take(write)
        }
    }

    /// Asks for listeners on `channel` to be told, when the transaction commits, that work
    /// falls due at `due`: said once, with the earliest moment, however often asked.
    func notify(_ channel: String, dueAt due: Date) {
        let earliest = min(gathered.notification?.dueAt ?? due.millis, due.millis)
        gathered.notification = (channel, earliest)
    }

    /// Notes that the transaction wrote a timer due at `due`.
    func wroteTimer(dueAt due: Date) {
        earliestTimerWritten = min(earliestTimerWritten ?? due, due)
    }

    /// Notes that the transaction queued a page due at `due` that it does not lease.
    func wrotePage(dueAt due: Date) {
        earliestPageWritten = min(earliestPageWritten ?? due, due)
    }

    /// What the transaction wrote so far that falls due.
    var deadlinesWritten: DeadlinesWritten {
        DeadlinesWritten(timer: earliestTimerWritten, page: earliestPageWritten)
    }

    /// Lets the transaction commit without waiting for the disk (`synchronous_commit = off`),
    /// said with the next writes sent rather than in a round trip of its own.
    func commitWithoutWaiting() {
        gathered.commitsWithoutWaiting = true
    }

    /// Has `query`, a query of one value that fails when something the transaction relies on
    /// has changed, run with the next writes sent (or on its own before the commit): the
    /// transaction then commits only if it still holds.
    func check(_ query: PostgresStatement) {
        gathered.checks.append(query)
    }

    /// What was asked of a session that `sendsOneStatement` and could not be said in it.
    struct MoreThanOneStatement: Error {}

    /// Sends everything gathered as one statement after `lead`, clauses the checks and
    /// `extra` may name, selecting `extra` and the ids and keys of the pages inserted
    /// (`CombinedWrite.statement(after:selecting:)`).
    func sendAll(after lead: PostgresStatement, selecting extra: [PostgresStatement]) throws -> PendingRows {
        sendsOneStatement = false
        return PendingRows(answer: try hand(gathered.statement(after: lead, selecting: extra)))
    }

    /// Sends what is gathered; before a read, only if writes are among it (the read must see
    /// them): a notification, the setting and the checks wait for the writes to come.
    private func sendGathered(beforeRead: Bool = false) throws {
        guard beforeRead ? gathered.hasWrites : !gathered.isEmpty else { return }
        try hand(gathered.statement())
    }

    /// The first column of the first row, if there is one and it is not NULL.
    func value<T: PostgresDecodable>(_ query: PostgresStatement, as type: T.Type = T.self) throws -> T? {
        guard let cell = try row(query)?[0], cell.bytes != nil else { return nil }
        return try cell.decoded(T.self)
    }

    /// How long a statement may go unanswered before its connection is given up: the store
    /// answers "unavailable" rather than hang when the server vanishes mid-statement.
    static let patience: TimeAmount = .seconds(30)

    /// Sends what is gathered, waits for every statement handed on, and throws the first one's error.
    func finish() throws {
        try sendGathered()
        try waitForAnswers()
    }

    /// Waits for every statement handed on so far, and throws the first one's error.
    private func waitForAnswers() throws {
        let waiting = unanswered
        unanswered.removeAll()
        guard !waiting.isEmpty else { return }
        let answered = connection.eventLoop.makePromise(of: Void.self)
        // Every answer, in order: the first failure is the one to report; those after it
        // only say the transaction was aborted.
        EventLoopFuture.whenAllComplete(waiting, on: connection.eventLoop).whenSuccess { results in
            for case .failure(let error) in results {
                answered.fail(error)
                return
            }
            answered.succeed()
        }
        try Self.waitPatiently(for: answered.futureResult, on: connection)
    }

    /// Waits for `answer`; should the server not give it within `patience`, closes the
    /// connection and throws.
    static func waitPatiently<T>(for answer: EventLoopFuture<T>, on connection: PostgresConnection) throws -> T {
        let given = connection.eventLoop.makePromise(of: T.self)
        answer.cascade(to: given)
        let deadline = connection.eventLoop.scheduleTask(in: patience) { [connection] in
            given.fail(StoreError.unavailable("the database did not answer within \(patience.nanoseconds / 1_000_000_000) s"))
            connection.close().whenComplete { _ in }
        }
        defer { deadline.cancel() }
        return try given.futureResult.wait()
    }
}
