import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps a second `tocsind` off a database another one is writing.
///
/// A daemon holds the database's firing alerts in memory (`OpenAlerts`); a second daemon on
/// the same file would not see the first one's and would open duplicates. The lock is an
/// exclusive `flock` on `DATABASE.lock`, which the system lets go when the process ends,
/// however it ends, so a daemon restarted after `kill -9` starts at once. Readers (`tocsin
/// verify`) take no lock.
public final class WriterLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock for the database at `databasePath`, or throws if another process holds it.
    public init(databasePath: String) throws {
        let path = databasePath + ".lock"
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError.databaseLocked(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StoreError.databaseLocked(path: path, reason: "another tocsind is using this database")
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
