import Foundation
import GRDB

/// How a connection waits for a lock another connection holds: in short steps.
///
/// SQLite's own busy timeout sleeps 1 ms before its first retry, then 2, then 5 more. The
/// locks Tocsin's connections meet are held for a millisecond or two at most (chiefly the
/// checkpoint thread restarting the log), so a commit that met one slept up to 3 ms for a
/// lock free after 1: an incident's first page waited as long again. Here a connection
/// tries again every 50 µs for its first 10 ms, then every 5 ms, and gives up after 10 s.
enum LockWait {
    static let busyMode = Database.BusyMode.callback { tries in
        let quickTries = 200
        guard tries < quickTries + 2_000 else { return false }
        usleep(tries < quickTries ? 50 : 5_000)
        return true
    }
}
