import ArgumentParser
import Foundation
import TocsinCore
import TocsinStore

/// `tocsin verify`
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the tamper-evident record: a database's every timeline, or an exported JSON file.",
        discussion: "Names the first event that does not match its hash or its predecessor, and exits non-zero."
    )

    @Argument(help: "An export made with `tocsin export ID --format json`.") var file: String?
    @Option(help: "A tocsind SQLite database to check instead.") var database: String?

    func validate() throws {
        guard (file == nil) != (database == nil) else { throw ValidationError("Give an exported JSON file or --database PATH, one of the two.") }
    }

    func run() throws {
        if let database {
            guard FileManager.default.fileExists(atPath: database) else { throw ClientError("No database at \(database).") }
            let (broken, checked) = try SQLiteIncidentStore(path: database).verifyTimelines()
            for chain in broken {
                print("incident \(chain.incidentID): event \(chain.sequence) (\(chain.kind.rawValue)) does not match: \(chain.reason)")
            }
            guard broken.isEmpty else { throw ExitCode(1) }
            print("OK: \(checked) events, every hash chain intact.")
        } else if let file {
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
            print("OK: incident \(export.incident.id), \(export.events.count) events, hash chain intact.")
        }
    }
}
