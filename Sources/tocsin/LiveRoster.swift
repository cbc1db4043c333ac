import Foundation
import TocsinCore

/// The configured roster with the changes tocsind holds laid over it, as paging sees it, when
/// the command has a token to ask with; else the configured roster and a line saying so.
enum LiveRoster {
    static func roster(_ configured: Roster, server: ServerOptions) async -> (roster: Roster, note: String) {
        guard !server.token.isEmpty else {
            return (configured, "Contacts/ only: give a token (--token or TOCSIN_TOKEN) to include the roster changes tocsind holds.")
        }
        do {
            let changes = try TocsinJSON.decoder.decode([RosterChange].self, from: try await server.call("GET", "/api/v1/roster/changes"))
            return (configured.applying(changes), "With \(changes.count) roster change\(changes.count == 1 ? "" : "s") from tocsind at \(server.server).")
        } catch {
            return (configured, "Contacts/ only: \(error)")
        }
    }
}
