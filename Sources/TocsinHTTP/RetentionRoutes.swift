import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// Retention on demand: `POST /api/v1/archive` runs a pass now (as `tocsind` does on its
/// schedule) and `GET /api/v1/archive` lists the archived incidents' anchors. Leadership and
/// reviewers only: a pass removes records from the database.
struct RetentionRoutes {
    let engine: Engine
    let auth: BearerToken

    func add(to router: RouteTable) {
        router.post("/api/v1/archive") { request, _ -> Response in
            try requireArchivist(try auth.person(of: request, doing: "archiving"))
            let summary: ArchiveSummary?
            do {
                summary = try engine.archive()
            } catch let error as ArchiveError {
                throw Problem(.serviceUnavailable, "The archive could not be written", detail: error.description)
            }
            guard let summary else {
                throw Problem(.conflict, "Retention is off", detail: "tocsin.yaml has no retention: section, so nothing is archived or removed.")
            }
            return try jsonResponse(summary)
        }
        router.get("/api/v1/archive") { request, _ -> Response in
            try requireArchivist(try auth.person(of: request, doing: "reading the archive"))
            return try jsonResponse(try engine.store.archivedIncidents())
        }
    }

    private func requireArchivist(_ person: String) throws {
        let roles = engine.rules.roster.roles(of: person)
        guard roles.contains(.leadership) || roles.contains(.reviewer) else {
            throw Problem(.forbidden, "Leadership and reviewers only", detail: "\(person) may not archive records; that takes the leadership or reviewer role.")
        }
    }
}
