import Foundation
import Testing
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// Two real Alertmanagers (Debian's `prometheus-alertmanager`) clustered as an HA pair, both
/// with Deploy/alertmanager.yml's webhook receiver pointing at the real tocsind.
@Suite struct AlertmanagerPairTests {
    /// One member of the pair.
    struct Member: Sendable {
        let program: RunningProgram
        let webPort: Int

        var url: String { "http://127.0.0.1:\(webPort)" }

        /// How many webhook notifications this member has sent, from its own metrics.
        func webhookNotifications() async -> Int {
            let metrics = await HTTPTransfer(url: "\(url)/metrics", timeout: .seconds(5)).send()
            let line = String(decoding: metrics.body, as: UTF8.self).split(separator: "\n")
                .first { $0.hasPrefix("alertmanager_notifications_total{integration=\"webhook\"}") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
        }

        func post(_ alerts: String) async -> Int? {
            await HTTPTransfer(method: "POST", url: "\(url)/api/v2/alerts", headers: ["Content-Type": "application/json"],
                               body: Data(alerts.utf8), timeout: .seconds(5)).send().status
        }

        func clusterPeers() async -> Int {
            let status = await HTTPTransfer(url: "\(url)/api/v2/status", timeout: .seconds(5)).send()
            let json = (try? JSONSerialization.jsonObject(with: status.body)) as? [String: Any]
            return ((json?["cluster"] as? [String: Any])?["peers"] as? [Any])?.count ?? 0
        }
    }

    static func alert(startsAt: Date, endsAt: Date) -> String {
        """
        [{"labels": {"alertname": "PaymentsDown", "service": "payments-core", "severity": "critical", "scenario": "total_outage"},
          "annotations": {"summary": "Payments API down in the primary site"},
          "startsAt": "\(UTCTime.string(startsAt))", "endsAt": "\(UTCTime.string(endsAt))",
          "generatorURL": "http://prometheus.example/graph"}]
        """
    }

    /// How the pair is connected. Gossiping, as configured, the second member waits for the
    /// first and, learning through gossip that it has notified, stays quiet. Partitioned (each
    /// member's `--cluster.peer` unreachable, as when the network between them fails), both
    /// members notify tocsind of everything: Alertmanager fails open, on purpose.
    enum Pairing: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case gossiping
        case partitioned
        var testDescription: String { self == .gossiping ? "members that gossip" : "members partitioned from each other" }
    }

    @Test(arguments: Pairing.allCases)
    func haPairOpensOneIncidentPagesOnceAndResolvesWhenTheAlertResolves(_ pairing: Pairing) async throws {
        let ports = try LoopbackPort.free(6)
        let stack = try await MonitoredTocsind.start(port: ports[0])
        defer { stack.stop() }
        let (pages, folder, view) = (stack.pages, stack.folder, stack.view)

        // Deploy/alertmanager.yml, with notifications repeated every 2 s so that the pair sends
        // the same alert to tocsind again and again within the test.
        let config = try MonitoringStack.deployFile("alertmanager.yml", tocsindPort: ports[0],
                                                    replacing: [("group_interval: 1m", "group_interval: 1s"), ("repeat_interval: 1h", "repeat_interval: 2s")])
        var members: [Member] = []
        // Partitioned, each member's peer is a port nothing listens on.
        let peers = pairing == .gossiping ? (ports[4], ports[2]) : (ports[5], ports[5])
        for (index, (web, cluster, peer)) in [(ports[1], ports[2], peers.0), (ports[3], ports[4], peers.1)].enumerated() {
            let home = folder.root.appendingPathComponent("alertmanager-\(index + 1)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try config.write(to: home.appendingPathComponent("alertmanager.yml"), atomically: true, encoding: .utf8)
            let program = try RunningProgram(
                "alertmanager-\(index + 1)", executable: MonitoringStack.alertmanager,
                arguments: ["--config.file=\(home.path)/alertmanager.yml", "--storage.path=\(home.path)/data",
                            "--web.listen-address=127.0.0.1:\(web)", "--web.external-url=http://127.0.0.1:\(web)",
                            "--cluster.listen-address=127.0.0.1:\(cluster)", "--cluster.peer=127.0.0.1:\(peer)",
                            // Gossip faster than the defaults so the pair settles in about a second.
                            "--cluster.gossip-interval=50ms", "--cluster.pushpull-interval=2s"],
                logFile: home.appendingPathComponent("alertmanager.log")
            )
            stack.adopt(program)
            members.append(Member(program: program, webPort: web))
        }
        let state: @Sendable () async -> String = { [members] in
            "\(await view.summary()); pages \(pages.listener.pages.count)\n\(members.map { $0.program.status(lines: 4) }.joined(separator: "\n"))"
        }
        try await Polling.until(pairing == .gossiping ? "both Alertmanagers see each other as a cluster" : "both Alertmanagers are ready", state: state) {
            for member in members { try member.program.requireRunning() }
            for member in members where await member.clusterPeers() != (pairing == .gossiping ? 2 : 1) { return false }
            for member in members where await HTTPTransfer(url: "\(member.url)/-/ready", timeout: .seconds(5)).send().status != 200 { return false }
            return true
        }

        // Prometheus sends every alert to every Alertmanager, at the same time; so does the test.
        let started = Date()
        let firing = Self.alert(startsAt: started, endsAt: started.addingTimeInterval(3600))
        let (one, two) = (members[0], members[1])
        async let first = one.post(firing)
        async let second = two.post(firing)
        #expect(await [first, second] == [200, 200])
        try await Polling.until("the pair's notification opens an incident", state: state) { await view.incidents().count == 1 }
        try await Polling.until("the commander is paged", state: state) { pages.listener.pages.count == 1 }
        try await Polling.until("the pair has notified tocsind of the same alert three times", state: state) {
            (await view.alert("PaymentsDown")?["receive_count"] as? Int ?? 0) >= 3
        }
        #expect(await view.incidents().count == 1)
        #expect(pages.listener.pages.map(\.path) == ["/chen.wei"])
        let alert = try #require(await view.alert("PaymentsDown"))
        let details = alert["details"] as? [String: String] ?? [:]
        let fingerprint = AlertFingerprint.of(["alertname": "PaymentsDown", "service": "payments-core", "severity": "critical", "scenario": "total_outage"])
        #expect(details["fingerprint"] == fingerprint, "Alertmanager's fingerprint is Tocsin's label hash")
        #expect(alert["dedup_key"] as? String == "fingerprint:\(fingerprint)")
        #expect(details["group_key"]?.contains("alertname=\"PaymentsDown\"") == true)
        #expect(Set(members.map(\.url)).contains(details["alertmanager"] ?? ""))
        if pairing == .partitioned {
            try await Polling.until("both members have notified tocsind", state: state) {
                await members.asyncMap { await $0.webhookNotifications() }.allSatisfy { $0 >= 1 }
            }
            #expect(await view.incidents().count == 1)
            #expect(pages.listener.pages.count == 1, "the second member's duplicates page nobody")
        }
        let firingSent = await members.asyncMap { await $0.webhookNotifications() }

        // The alert resolves: both members are told, with an endsAt in the past.
        let resolved = Self.alert(startsAt: started, endsAt: Date().addingTimeInterval(-1))
        async let firstResolved = one.post(resolved)
        async let secondResolved = two.post(resolved)
        #expect(await [firstResolved, secondResolved] == [200, 200])
        try await Polling.until("the pair's resolved notification resolves the alert", state: state) {
            await view.alert("PaymentsDown")?["status"] as? String == "resolved"
        }
        let kinds = await view.timelineKinds(1)
        #expect(kinds.filter { $0 == "alert_resolved" }.count == 1)
        #expect(kinds.last == "escalation_stopped")
        // Wait until the members have counted their resolved notifications (partitioned, each
        // sends its own), so that the assertions below see every late duplicate.
        try await Polling.until("the pair has counted its resolved notifications", state: state) {
            let sent = await members.asyncMap { await $0.webhookNotifications() }
            return pairing == .gossiping ? sent.reduce(0, +) > firingSent.reduce(0, +) : zip(sent, firingSent).allSatisfy { $0 > $1 }
        }
        #expect(await view.incidents().count == 1, "resolved notifications, duplicates included, reopen nothing")
        #expect(await view.alerts().filter { $0["status"] as? String == "firing" }.isEmpty)
        #expect(pages.listener.pages.count == 1)
        let received = await view.alert("PaymentsDown")?["receive_count"] as? Int ?? 0
        print("Alertmanager pair, \(pairing.testDescription): webhook notifications while firing \(firingSent) (per member); tocsind folded \(received) firing deliveries into 1 alert, 1 incident, 1 page; resolved once")
        await pages.stop()
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }
}
