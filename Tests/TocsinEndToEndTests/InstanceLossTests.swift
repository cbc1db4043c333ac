import Foundation
import Testing
import TocsinPager
import TocsinTestSupport

/// Two real `tocsind` on one PostgreSQL database: either takes any request, and when one is
/// killed, the other pages on its deadlines.
@Suite struct InstanceLossTests {
    @Test func anAlertSentToBothIsOneIncidentAndTheSurvivorPagesTheBackupWhenTheOtherIsKilled() async throws {
        let pages = try await LoopbackListener.start()
        defer { Task { await pages.stop() } }
        let server = try await TestPostgres.server()
        let database = try await TestPostgres.createDatabase(on: server)
        defer { TestPostgres.dropDatabase(database, on: server) }
        var instances: [TocsindDaemon] = []
        defer { instances.forEach { $0.stop() } }
        for _ in 0..<2 {
            let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: pages.port)
            try folder.replace("database: ../var/tocsin.sqlite",
                               with: "database: postgres://postgres@127.0.0.1:\(server.port)/\(database)", in: "Deploy/tocsin.yaml")
            try folder.replace("      - after: 5m\n        page: [fault_analyst.backup]", with: "      - after: 3s\n        page: [fault_analyst.backup]",
                               in: "Deploy/tocsin.yaml")
            let daemon = try TocsindDaemon(folder)
            instances.append(daemon)
        }
        for daemon in instances { try await daemon.waitUntilServing() }
        let (doomed, survivor) = (instances[0], instances[1])

        // An Alertmanager pair sends the alert to both instances at once.
        let body = TestDaemon.alertJSON(key: "pair", startsAt: Date())
        async let first = doomed.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: body)
        async let second = survivor.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: body)
        #expect(await [first.status, second.status] == [202, 202])
        try await Polling.until("the commander is paged", limit: .seconds(10), every: .milliseconds(20)) {
            pages.listener.pages.contains { $0.json["person"] as? String == "chen.wei" }
        }
        doomed.kill9()

        try await Polling.until("the surviving instance pages the backup", limit: .seconds(15), every: .milliseconds(20)) {
            pages.listener.pages.contains { $0.json["person"] as? String == "priya.raman" }
        }
        let incidents = await survivor.json("/api/v1/incidents", token: "demo-chen-wei-token") as? [[String: Any]] ?? []
        #expect(incidents.count == 1, "one incident for the alert both instances took")
        let paged = pages.listener.pages.compactMap { $0.json["person"] as? String }
        #expect(paged.filter { $0 == "chen.wei" }.count == 1 && paged.filter { $0 == "priya.raman" }.count == 1, "\(paged)")
    }
}

/// `make cluster` (Deploy/cluster/run-three.sh): the three-instance example runs as written.
@Suite struct ClusterExampleTests {
    @Test func threeInstancesServeOneDatabaseAndStopTogether() async throws {
        let ports = try LoopbackPort.free(5)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-cluster-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["TOCSIN_CLUSTER_PORTS"] = ports[0..<3].map(String.init).joined(separator: " ")
        environment["TOCSIN_CLUSTER_DATABASE_PORT"] = "\(ports[3])"
        environment["TOCSIN_CLUSTER_LISTEN_PORT"] = "\(ports[4])"
        let script = TocsinBuild.repository.appendingPathComponent("Deploy/cluster/run-three.sh").path
        let cluster = try RunningProgram("run-three.sh", executable: "/bin/sh", arguments: [script],
                                         logFile: folder.appendingPathComponent("cluster.log"), environment: environment)
        defer { cluster.stop() }
        let urls = ports[0..<3].map { "http://127.0.0.1:\($0)" }
        for url in urls {
            try await Polling.until("\(url) serves", limit: .seconds(60), every: .milliseconds(100), state: { cluster.logTail() }) {
                try cluster.requireRunning()
                return await HTTPTransfer(url: "\(url)/healthz").sendPatiently().status == 200
            }
        }
        let body = #"{"source":"manual","dedup_key":"cluster-example","summary":"Card payments fail","service":"payments-core","labels":{"urgency":"high"}}"#
        let accepted = await HTTPTransfer(method: "POST", url: "\(urls[2])/api/v1/alerts",
                                          headers: ["Authorization": "Bearer demo-monitoring-token", "Content-Type": "application/json"], body: Data(body.utf8)).sendPatiently()
        #expect(accepted.status == 202)
        try await Polling.until("the commander's page is printed", limit: .seconds(20), every: .milliseconds(100), state: { cluster.logTail() }) {
            cluster.output.contains("page for chen.wei: incident 1")
        }
        // Any instance shows the incident another took.
        let listed = await HTTPTransfer(url: "\(urls[0])/api/v1/incidents", headers: ["Authorization": "Bearer demo-chen-wei-token"]).sendPatiently()
        #expect(String(decoding: listed.body, as: UTF8.self).contains("Card payments fail"))

        await cluster.stop()
        for url in urls { #expect(await HTTPTransfer(url: "\(url)/healthz", connectTimeout: .seconds(1), timeout: .seconds(1)).send().status == nil) }
    }
}
