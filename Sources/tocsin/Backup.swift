import ArgumentParser
import Foundation
import TocsinStore

/// `tocsin backup`
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy tocsind's SQLite database while it serves: the record as of one commit.",
        discussion: "For PostgreSQL, use its own tools (pg_dump, pg_basebackup); see docs/operations.md."
    )
    @Argument(help: "The new file to write.") var file: String
    @Option(help: "The SQLite database to copy (the `database:` of tocsin.yaml).") var database = "var/tocsin.sqlite"

    func run() throws {
        do {
            let (incidents, alerts) = try SQLiteBackup.copy(database, to: file)
            print("Backed up \(database) to \(file): \(incidents) incidents, \(alerts) alerts.")
        } catch let error as BackupError {
            throw ClientError(error.description)
        }
    }
}

/// `tocsin restore`
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup made with `tocsin backup` in place of tocsind's SQLite database.",
        discussion: "tocsind must be stopped. The backup is checked first (whole, every hash chain intact); what the database held is replaced."
    )
    @Argument(help: "The backup file.") var file: String
    @Option(help: "The SQLite database to replace (the `database:` of tocsin.yaml).") var database = "var/tocsin.sqlite"

    func run() throws {
        do {
            let (incidents, alerts) = try SQLiteBackup.restore(file, to: database)
            print("Restored \(file) to \(database): \(incidents) incidents, \(alerts) alerts.")
        } catch let error as BackupError {
            throw ClientError(error.description)
        } catch let error as StoreError {
            throw ClientError("\(error)")
        }
    }
}
