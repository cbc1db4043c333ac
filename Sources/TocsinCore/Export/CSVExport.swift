import Foundation

extension IncidentExport {
    static let csvHeader = ["incident_id", "sequence", "at_utc", "local_time", "kind", "actor", "actor_roles", "detail", "previous_hash", "hash"]

    /// The timeline as RFC 4180 CSV, one row per event; `detail` is `key=value` pairs joined by `; `.
    var csv: String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let rows = events.map { event in
            [String(incident.id), String(event.sequence), UTCTime.string(event.at), event.localTime, event.kind.rawValue, event.actor,
             event.actorRoles.joined(separator: " "), event.detail.keys.sorted().map { "\($0)=\(event.detail[$0]!)" }.joined(separator: "; "),
             event.previousHash, event.hash].map(field).joined(separator: ",")
        }
        return ([Self.csvHeader.joined(separator: ",")] + rows).joined(separator: "\r\n") + "\r\n"
    }
}
