import Foundation
import GRDB

/// A consistent copy of a tocsind SQLite database, taken while tocsind serves, and put back.
///
/// The copy is made with SQLite's online backup from one read transaction, so it is the record
/// as of one commit: a running daemon goes on writing meanwhile and none of its later writes
/// end up half in the copy. Putting a copy back needs the database to be free of any daemon
/// (`WriterLock`), which it holds while it writes, so that no daemon starts on half a file.
public enum SQLiteBackup {
    /// Copies the database at `database` into a new file at `destination`; returns how many
    /// incidents and alerts the copy holds.
    public static func copy(_ database: String, to destination: String) throws -> (incidents: Int, alerts: Int) {
        guard FileManager.default.fileExists(atPath: database) else { throw BackupError("No database at \(database).") }
        guard !FileManager.default.fileExists(atPath: destination) else { throw BackupError("\(destination) exists already; give a new file.") }
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = LockWait.busyMode
        let source = try DatabasePool(path: database, configuration: readOnly)
        let copy = try DatabaseQueue(path: destination)
        try source.backup(to: copy)
        return try counts(in: copy)
    }

    /// Puts the copy at `backup` in place of the database at `database`, which no daemon may be
    /// using; checks first that the copy is whole and its every hash chain intact.
    public static func restore(_ backup: String, to database: String) throws -> (incidents: Int, alerts: Int) {
        guard FileManager.default.fileExists(atPath: backup) else { throw BackupError("No backup at \(backup).") }
        var readOnly = Configuration()
        readOnly.readonly = true
        let copy: DatabaseQueue
        do {
            copy = try DatabaseQueue(path: backup, configuration: readOnly)
            let check = try copy.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
            guard check == "ok" else { throw BackupError("\(backup) is damaged: \(check ?? "no answer")") }
            guard try copy.read({ try $0.tableExists("incident") && $0.tableExists("event") }) else { throw BackupError("\(backup) is not a Tocsin database.") }
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError("\(backup) is not a Tocsin database: \(error)")
        }
        if let broken = try copy.read(SQLiteIncidentStore.verifyTimelines).broken.first {
            throw BackupError("\(backup) has an edited record (incident \(broken.incidentID), event \(broken.sequence): \(broken.reason)); not restored.")
        }
        let lock = try WriterLock(databasePath: database)
        defer { withExtendedLifetime(lock) {} }
        let target = try DatabaseQueue(path: database)
        try copy.backup(to: target)
        return try counts(in: target)
    }

    private static func counts(in database: DatabaseQueue) throws -> (incidents: Int, alerts: Int) {
        try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM incident") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert") ?? 0)
        }
    }
}

/// Why a backup could not be made or put back, in words for the person running `tocsin`.
public struct BackupError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
