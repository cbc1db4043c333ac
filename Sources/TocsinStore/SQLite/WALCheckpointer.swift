import Foundation
import GRDB

/// Copies the write-ahead log back into the database file on a thread of its own.
///
/// SQLite's automatic checkpoint runs inside whichever write happens to cross the threshold,
/// holding the single writer for many milliseconds while it copies and syncs: a timer due
/// then fires late. A passive checkpoint from a separate connection never takes the write lock,
/// so writers carry on while it works; once all is copied, and a second pass finds nothing
/// new, it asks SQLite to start the log afresh (a restart checkpoint, which then needs the
/// writer only for an instant). The automatic checkpoint stays as a backstop at a much
/// higher threshold.
///
/// While much is written the checkpoint runs twenty times a second, so each copies a little
/// (at four times a second, each copy of a quarter second's log and its flush made the writers'
/// disk writes wait: escalation timers' 99th-percentile lateness rose past 10 ms).
/// Each checkpoint that copies the whole log makes the next commit start the log afresh, which
/// costs that commit one more disk flush; so it backs off to every few seconds while little is
/// written: a quiet system's alerts do not pay a flush for a log of a few pages.
final class WALCheckpointer: @unchecked Sendable {
    static let backstopPages = 50_000
    /// Log size (pages) past which the log is restarted once fully copied.
    static let restartFrames = 2_000
    /// Log size (pages) past which the log is restarted even if the writer must wait for it:
    /// while writes never pause, no second pass finds nothing new.
    static let forcedRestartFrames = 10_000
    /// A log shorter than this (pages) when checkpointed means little is being written.
    static let quietFrames = 500
    static let longestInterval: TimeInterval = 4

    private let condition = NSCondition()
    private var stopped = false

    /// The thread opens its own connection at its first round, and again at the next if the
    /// file was busy: a store opening while the one before it on the same file closes (whose
    /// last connection then copies the log back and removes it, holding the file) must not
    /// fail for the sake of its checkpoints, which SQLite's backstop covers meanwhile.
    init(path: String, every interval: TimeInterval = 0.05) {
        let thread = Thread { [condition] in
            DeadlinePriority.adopt(naming: "tocsin-wal")
            var wait = interval
            var connection: DatabaseQueue?
            while true {
                condition.lock()
                _ = condition.wait(until: Date().addingTimeInterval(wait))
                let stop = self.stopped
                condition.unlock()
                if stop { return }
                if connection == nil { connection = try? DatabaseQueue(path: path) }
                let logFrames = try? connection?.writeWithoutTransaction { db -> Int in
                    // Copy what the log holds, never waiting for the writer.
                    let copy = try Self.checkpoint("PASSIVE", in: db)
                    try Self.restartLog(after: copy, in: db)
                    return copy.logFrames
                }
                wait = (logFrames ?? 0) < Self.quietFrames ? min(wait * 2, Self.longestInterval) : interval
            }
        }
        thread.start()
    }

    /// Everything copied and the log grown: has the next write start it afresh.
    ///
    /// RESTART holds the writer while it copies and flushes what came since the last copy,
    /// which a commit then waited for (1-3 ms). So this copies again until a pass finds nothing
    /// new, and restarts at once: the writer is held for an instant. If it is busy, or the log
    /// keeps growing, the next round tries again, until the log is so long that the writer
    /// must wait for it.
    private static func restartLog(after copy: Pass, in db: Database) throws {
        var last = copy
        for _ in 0..<3 where last.logFrames >= restartFrames && last.copied == last.logFrames {
            let again = try checkpoint("PASSIVE", in: db)
            if again.logFrames == last.logFrames {
                if (try? checkpoint("RESTART", in: db))?.busy == false { return }
                break
            }
            last = again
        }
        if last.logFrames >= forcedRestartFrames {
            _ = try? checkpoint("RESTART", in: db)
        }
    }

    /// What one checkpoint pass reports.
    private struct Pass {
        /// It stopped short for a lock another connection held.
        var busy: Bool
        /// Pages the log holds.
        var logFrames: Int
        /// Of those, pages now in the database file.
        var copied: Int
    }

    /// Runs a checkpoint in `mode`.
    private static func checkpoint(_ mode: String, in db: Database) throws -> Pass {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "PRAGMA wal_checkpoint(\(mode))")) else {
            return Pass(busy: false, logFrames: 0, copied: 0)
        }
        return Pass(busy: row[0] != 0, logFrames: row[1], copied: row[2])
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
