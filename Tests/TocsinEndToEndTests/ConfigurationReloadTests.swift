import Foundation
import Testing
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// The real `tocsind` reloading its configuration on SIGHUP and through the API: a bad one
/// refused with the start-up errors while the running one pages on, a good one in force for the
/// next alert, and not one alert lost to a reload under load.
@Suite(.serialized) struct ConfigurationReloadTests {
    static let commander = "  fault_analyst:          # the incident commander\n    primary: chen.wei\n    backup: priya.raman"

    @Test func aBrokenReloadIsRefusedAndTheOldRosterStillPages() async throws {
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
        defer { folder.remove() }
        let daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()

        // A typo in the commander's id: SIGHUP and the API are both refused with the file and the key.
        try folder.replace(Self.commander, with: Self.commander.replacingOccurrences(of: "primary: chen.wei", with: "primary: chen.wie"), in: "Contacts/roles.yaml")
        daemon.program.process.signal(SIGHUP)
        try await Polling.until("the SIGHUP reload is refused", limit: .seconds(20), state: { daemon.program.logTail() }) {
            daemon.program.logTail(lines: 40).contains("configuration reload by SIGHUP refused")
        }
        #expect(daemon.program.logTail(lines: 40).contains("Contacts/roles.yaml: roles.fault_analyst.primary: no person \"chen.wie\""))
        let refused = await daemon.request("POST", "/api/v1/system/reload", token: "demo-li-na-token")
        #expect(refused.status == 422 && refused.headers["content-type"] == "application/problem+json")
        #expect(refused.text.contains("roles.fault_analyst.primary: no person \\\"chen.wie\\\""), "\(refused.text)")

        let first = await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: TestDaemon.alertJSON(key: "before", startsAt: Date()))
        #expect(first.status == 202)
        try await Polling.until("the old commander is paged") { pages.listener.pages.count == 1 }
        #expect(pages.listener.pages.map(\.path) == ["/chen.wei"])

        // Corrected, with priya.raman and chen.wei trading places: in force for the next alert.
        try folder.replace("primary: chen.wie\n    backup: priya.raman", with: "primary: priya.raman\n    backup: chen.wei", in: "Contacts/roles.yaml")
        let applied = await daemon.request("POST", "/api/v1/system/reload", token: "demo-li-na-token")
        #expect(applied.status == 200, "\(applied.text)")
        #expect(applied.json["changes"] as? [String] == ["roles: ~fault_analyst"])
        let second = await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: TestDaemon.alertJSON(key: "after", startsAt: Date()))
        #expect(second.status == 202)
        try await Polling.until("the new commander is paged") { pages.listener.pages.count == 2 }
        #expect(pages.listener.pages.map(\.path) == ["/chen.wei", "/priya.raman"])

        let events = await daemon.json("/api/v1/system/events", token: "demo-li-na-token") as? [[String: Any]] ?? []
        let reloads = events.filter { $0["kind"] as? String == "config_reloaded" }.compactMap { $0["detail"] as? [String: String] }
        #expect(reloads.map { $0["by"] } == ["li.na"] && reloads.first?["changes"] == "roles: ~fault_analyst", "only the reload in force is recorded")
    }

    @Test func aReloadUnderIngestLoadLosesNoAlert() async throws {
        let pages = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
        defer { folder.remove() }
        let daemon = try TocsindDaemon(folder)
        defer { daemon.stop() }
        try await daemon.waitUntilServing()

        // Eight senders of 25 alerts each; between its alerts the first one also reloads the
        // configuration, by SIGHUP and by the API in turn, while the seven others keep sending.
        let senders = 8, perSender = 25
        let results: [(statuses: [Int], reloadedByAPI: Int, reloads: Int)] = try await withThrowingTaskGroup(of: ([Int], Int, Int).self) { group in
            for sender in 0..<senders {
                group.addTask {
                    var statuses: [Int] = [], reloadedByAPI = 0, reloads = 0
                    for index in 0..<perSender {
                        let body = TestDaemon.alertJSON(key: "load-\(sender)-\(index)", service: "reporting", urgency: "low", startsAt: Date())
                        statuses.append(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: body).status ?? 0)
                        guard sender == 0, index % 5 == 4 else { continue }
                        try folder.replace("reason: holiday\(reloads == 0 ? "" : " \(reloads - 1)")", with: "reason: holiday \(reloads)", in: "Contacts/stand_ins.yaml")
                        if reloads.isMultiple(of: 2) {
                            daemon.program.process.signal(SIGHUP)
                        } else if await daemon.request("POST", "/api/v1/system/reload", token: "demo-li-na-token").status == 200 {
                            reloadedByAPI += 1
                        }
                        reloads += 1
                    }
                    return (statuses, reloadedByAPI, reloads)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let answered = results.flatMap(\.statuses)
        let reloadedByAPI = results.map(\.reloadedByAPI).reduce(0, +), reloads = results.map(\.reloads).reduce(0, +)
        #expect(reloads == 5 && reloadedByAPI == 2)
        #expect(answered.count == senders * perSender && answered.allSatisfy { $0 == 202 }, "\(Dictionary(grouping: answered, by: { $0 }).mapValues(\.count))")
        let counts = await daemon.json("/api/v1/alerts/counts", token: "demo-chen-wei-token") as? [String: Any]
        #expect(counts?["firing"] as? Int == senders * perSender)
        // Two SIGHUPs close together may be taken as one; every API reload is logged, and a SIGHUP one besides.
        try await Polling.until("the reloads are logged", limit: .seconds(20), state: { daemon.program.logTail() }) {
            let logged = daemon.program.logTail(lines: 2000).components(separatedBy: "configuration reloaded by").count - 1
            return logged > reloadedByAPI && logged <= reloads
        }
    }
}
