import Foundation
import GRDB

/// Copies the write-ahead log back into the database file on a thread of its own.
///
/// SQLite's automatic checkpoint runs inside whichever write happens to cross the threshold,
/// holding the single writer for many milliseconds while it copies and syncs: a timer due
/// then fires late. A passive checkpoint from a separate connection never takes the write lock,
/// so writers carry on while it works; once all is copied it asks SQLite to start the log
/// afresh (a restart checkpoint, which needs the writer only for an instant). The automatic
/// checkpoint stays as a backstop at a much higher threshold.
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
    /// A log shorter than this (pages) when checkpointed means little is being written.
    static let quietFrames = 500
    static let longestInterval: TimeInterval = 4

    private let condition = NSCondition()
    private var stopped = false

    init(path: String, every interval: TimeInterval = 0.05) throws {
        let connection = try DatabaseQueue(path: path)
        let thread = Thread { [condition] in
            var wait = interval
            while true {
                condition.lock()
                _ = condition.wait(until: Date().addingTimeInterval(wait))
                let stop = self.stopped
                condition.unlock()
                if stop { return }
                let logFrames = try? connection.writeWithoutTransaction { db -> Int in
                    // Copy what the log holds, never waiting for the writer.
                    guard let passive = try Row.fetchOne(db.cachedStatement(sql: "PRAGMA wal_checkpoint(PASSIVE)")) else { return 0 }
                    let logFrames: Int = passive[1], copied: Int = passive[2]
                    // Everything copied and the log grown: have the next write start it afresh.
                    // RESTART only needs the writer for an instant now; if it is busy, try next time.
                    if logFrames >= Self.restartFrames, copied == logFrames {
                        _ = try? Row.fetchOne(db.cachedStatement(sql: "PRAGMA wal_checkpoint(RESTART)"))
                    }
                    return logFrames
                }
                wait = (logFrames ?? 0) < Self.quietFrames ? min(wait * 2, Self.longestInterval) : interval
            }
        }
        thread.name = "tocsin-checkpoint"
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }
}
