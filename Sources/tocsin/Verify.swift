import ArgumentParser
import Foundation
import Logging
import TocsinConfig
import TocsinCore
import TocsinPostgres
import TocsinStore

/// `tocsin verify`
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the tamper-evident record: a database's every timeline, or an exported JSON file.",
        discussion: """
            Names the first event that does not match its hash or its predecessor, and exits non-zero. An archived incident's \
            file (from retention) is checked on its own, and with --database also against where the database says its chain ended.
            """
    )

    @Argument(help: "An export made with `tocsin export ID --format json`.") var file: String?
    @Option(help: "A tocsind database to check instead: an SQLite file, or a postgres://USER@HOST[:PORT][,HOST…]/NAME address (password from TOCSIN_DATABASE_PASSWORD).")
    var database: String?

    func validate() throws {
        guard file != nil || database != nil else { throw ValidationError("Give an exported JSON file, --database PATH, or both.") }
    }

    func run() throws {
        if let file {
            try verify(file)
        } else if let database {
            let store = try Self.store(at: database)
            let (broken, checked) = try store.verifyTimelines()
            for chain in broken {
                print("incident \(chain.incidentID): event \(chain.sequence) (\(chain.kind.rawValue)) does not match: \(chain.reason)")
            }
            guard broken.isEmpty else { throw ExitCode(1) }
            let archived = try store.archivedIncidents().count
            print("OK: \(checked) events, every hash chain intact" + (archived == 0 ? "." : "; \(archived) archived incidents anchored by their last hash."))
        }
    }

    private func verify(_ file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ClientError("Cannot read \(file).") }
        let export: IncidentExport
        do {
            export = try TocsinJSON.decoder.decode(IncidentExport.self, from: data)
        } catch {
            throw ClientError("\(file) is not a Tocsin JSON export: \(error)")
        }
        if let problem = export.timelineEvents.chainProblem() {
            print("incident \(export.incident.id): event \(problem.event.sequence) (\(problem.event.kind.rawValue)) does not match: \(problem.reason)")
            throw ExitCode(1)
        }
        guard let database else {
            print("OK: incident \(export.incident.id), \(export.events.count) events, hash chain intact.")
            return
        }
        guard let anchor = try Self.store(at: database).archivedIncidents().first(where: { $0.incidentID == export.incident.id }) else {
            print("incident \(export.incident.id): the database has not archived it")
            throw ExitCode(1)
        }
        if let problem = anchor.problem(with: export) {
            print("incident \(export.incident.id): \(problem)")
            throw ExitCode(1)
        }
        print("OK: incident \(export.incident.id), \(export.events.count) events, hash chain intact and ending where the database archived it.")
    }

    static func store(at database: String) throws -> any IncidentStore {
        guard database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") else {
            guard FileManager.default.fileExists(atPath: database) else { throw ClientError("No database at \(database).") }
            return try SQLiteIncidentStore(path: database)
        }
        let address: PostgresAddress
        do {
            address = try PostgresAddress(url: database, password: ProcessInfo.processInfo.environment[PostgresAddress.passwordVariable])
        } catch {
            throw ClientError("--database \(database): \(error)")
        }
        var logger = Logger(label: "tocsin")
        logger.logLevel = .critical
        do {
            return try PostgresIncidentStore(instance: "tocsin verify", now: Date(), logger: logger,
                                             open: PostgresIncidentStore.connecting(to: address, readWriteOnly: false, logger: logger))
        } catch {
            throw ClientError("Cannot read \(address): \(error)")
        }
    }
}
