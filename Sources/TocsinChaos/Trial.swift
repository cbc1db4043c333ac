import Foundation
import TocsinHTTP
import TocsinTestSupport

/// What one trial saw.
struct TrialResult {
    var accepted = 0
    /// Alerts answered 202 that the database does not hold.
    var lost = 0
    /// Accepted alerts without exactly one incident.
    var incidentsNotOne = 0
    /// Incidents whose commander or backup page never arrived.
    var unpaged = 0
    /// Deliveries of a key the receiver already had.
    var duplicateDeliveries = 0
    /// For each backup page due after the death: how late it arrived.
    var latenessAfterDeath: [TimeInterval] = []
    /// Primary trials: from the primary's death to the first acceptance of an alert sent after it.
    var outage: TimeInterval?
}

/// One trial: a bounded load of distinct alerts, spread over the instances, and one death at
/// a random moment of it: an instance (`kill -9`), or the database's primary (SIGKILL, then
/// the replica promoted a second later).
enum Trial {
    static let alerts = 45
    static let spread: TimeInterval = 3

    static func run(number: Int, killing victim: Victim, cluster: Cluster, primary: ScratchPostgres, replica: ScratchPostgres,
                    receiver: PageListener) async throws -> TrialResult {
        let sender = Sender(instances: cluster.instances)
        let dying = Int.random(in: 0..<cluster.instances.count)
        let deathAt = Date().addingTimeInterval(Double.random(in: 0.3...(spread - 0.3)))
        var result = TrialResult()
        var acceptedAt: [String: Date] = [:]
        var sentAt: [String: Date] = [:]
        var died: Date?
        await withTaskGroup(of: (String, Date?).self) { group in
            for index in 0..<alerts {
                let key = "trial-\(number)-alert-\(index)"
                let sendAt = Date().addingTimeInterval(spread * Double(index) / Double(alerts))
                sentAt[key] = sendAt
                group.addTask {
                    let wait = sendAt.timeIntervalSinceNow
                    if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                    return (key, await sender.send(key: key, first: index))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(max(0, Int(deathAt.timeIntervalSinceNow * 1000))))
                let killedAt = Date()
                switch victim {
                case .instance: cluster.instances[dying].kill9()
                case .primary:
                    primary.killNine()
                    try? await Task.sleep(for: .seconds(1))
                    try? await replica.promote()
                }
                return ("", killedAt)
            }
            for await (key, at) in group {
                if key.isEmpty { died = at } else if let at { acceptedAt[key] = at }
            }
        }
        result.accepted = acceptedAt.count
        let death = died ?? deathAt
        if victim == .primary {
            // Alerts in flight at the death may still be answered by a commit the replica already
            // holds; the outage is what an alert sent after the death waits.
            result.outage = acceptedAt.filter { sentAt[$0.key]! > death }.values.min().map { $0.timeIntervalSince(death) }
        }
        let database = victim == .primary ? replica : primary
        // Every accepted alert's incident pages its commander, then its backup; wait (bounded) for
        // both, longer than a dead instance's lease on a page it was sending (30 s).
        let deadline = Date().addingTimeInterval(45)
        var incidents: [String: Int] = [:]
        while Date() < deadline {
            incidents = try incidentsByAlert(in: cluster.database, on: database, number: number)
            let paged = Set(receiver.pages.compactMap(\.idempotencyKey))
            if incidents.count >= acceptedAt.count, incidents.values.allSatisfy({ paged.isSuperset(of: keys(of: $0)) }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let stored = Set(try database.psql("SELECT dedup_key FROM alert WHERE dedup_key LIKE 'trial-\(number)-%'", database: cluster.database)
            .split(separator: "\n").map(String.init))
        result.lost = acceptedAt.keys.filter { !stored.contains($0) }.count
        let counts = try database.psql("SELECT a.dedup_key, COUNT(DISTINCT a.incident_id) FROM alert a WHERE a.dedup_key LIKE 'trial-\(number)-%' GROUP BY a.dedup_key",
                                       database: cluster.database)
        result.incidentsNotOne = counts.split(separator: "\n").filter { $0.split(separator: "|").last != "1" }.count
            + acceptedAt.keys.filter { !stored.contains($0) }.count
        let arrivals = Dictionary(receiver.pages.compactMap { page in page.idempotencyKey.map { ($0, page.arrivedAt) } }, uniquingKeysWith: min)
        for incident in Set(incidents.values) where !keys(of: incident).allSatisfy({ arrivals[$0] != nil }) {
            result.unpaged += 1
        }
        let opened = try openingTimes(in: cluster.database, on: database, number: number)
        for (incident, openedAt) in opened {
            let due = openedAt.addingTimeInterval(Cluster.backupDelay)
            guard due > death, due < death.addingTimeInterval(5), let arrived = arrivals[keys(of: incident)[1]] else { continue }
            result.latenessAfterDeath.append(arrived.timeIntervalSince(due))
        }
        return result
    }

    enum Victim { case instance, primary }

    /// The commander's and the backup's page keys of an incident.
    static func keys(of incident: Int) -> [String] {
        ["incident-\(incident)/step-0/chen.wei/webhook", "incident-\(incident)/step-1/priya.raman/webhook"]
    }

    static func incidentsByAlert(in database: String, on server: ScratchPostgres, number: Int) throws -> [String: Int] {
        let rows = try server.psql("SELECT dedup_key, incident_id FROM alert WHERE dedup_key LIKE 'trial-\(number)-%' AND incident_id IS NOT NULL", database: database)
        var map: [String: Int] = [:]
        for row in rows.split(separator: "\n") {
            let fields = row.split(separator: "|")
            if fields.count == 2, let id = Int(fields[1]) { map[String(fields[0])] = id }
        }
        return map
    }

    static func openingTimes(in database: String, on server: ScratchPostgres, number: Int) throws -> [(Int, Date)] {
        let rows = try server.psql("""
            SELECT DISTINCT i.id, i.opened_at FROM incident i JOIN alert a ON a.incident_id = i.id WHERE a.dedup_key LIKE 'trial-\(number)-%'
            """, database: database)
        return rows.split(separator: "\n").compactMap { row in
            let fields = row.split(separator: "|")
            guard fields.count == 2, let id = Int(fields[0]), let millis = Double(fields[1]) else { return nil }
            return (id, Date(timeIntervalSince1970: millis / 1000))
        }
    }
}
