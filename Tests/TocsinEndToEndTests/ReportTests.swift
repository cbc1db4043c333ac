import Foundation
import Testing
import TocsinCore

/// Response figures across incidents, from real incidents acknowledged at known times.
@Suite struct ReportTests {
    @Test(arguments: StoreBackend.all) func figuresByServiceResponderAndCadence(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let from = UTCTime.string(daemon.clock.now().addingTimeInterval(-60))
        // Incident 1: payments-core, acked by chen.wei after 60 s. Incident 2: payments-core, acked by priya.raman
        // 30 s after her page (which came at 300 s). Incident 3: settlement, acked by chen.wei after 120 s.
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "a", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "b", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "c", service: "settlement", startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 60)
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        await daemon.advance(by: 60)
        _ = await daemon.request("POST", "/api/v1/incidents/3/ack", token: "token-chen")
        await daemon.advance(by: 180)
        await daemon.advance(by: 30)
        _ = await daemon.request("POST", "/api/v1/incidents/2/ack", token: "token-priya")
        // Each bulletin is due 30 minutes after its incident was taken: incident 1's is posted on time,
        // incident 3's (taken at 120 s) is missed, incident 2's (taken at 330 s) is not due yet.
        _ = await daemon.request("POST", "/api/v1/incidents/1/update", token: "token-sam", body: "{\"kind\":\"bulletin\",\"text\":\"All hands on it\"}")
        await daemon.advance(by: 1790)
        let to = UTCTime.string(daemon.clock.now().addingTimeInterval(60))

        let response = await daemon.request("GET", "/api/v1/reports/response?from=\(from)&to=\(to)", token: "token-grace")
        #expect(response.status == 200)
        let report = try TocsinJSON.decoder.decode(ResponseReport.self, from: response.body)
        #expect(report.incidents == 3)
        let core = try #require(report.byServiceAndSeverity.first { $0.service == "payments-core" })
        #expect(core.severity == .sev1 && core.incidents == 2 && core.acknowledged == 2)
        #expect(core.mtta.map { $0.rounded() } == 195, "(60 s + 330 s) / 2")
        #expect(core.mttr == nil && core.recovered == 0)
        let settlement = try #require(report.byServiceAndSeverity.first { $0.service == "settlement" })
        #expect(settlement.severity == .sev1, "opened SEV2, raised after 15 minutes")
        #expect(settlement.mtta.map { $0.rounded() } == 120)
        #expect(report.responders.map(\.person) == ["chen.wei", "priya.raman"])
        #expect(report.responders[0].acknowledgements == 2 && report.responders[0].mean.rounded() == 90 && report.responders[0].slowest.rounded() == 120)
        #expect(report.responders[1].median.rounded() == 30, "measured from her own page, not from the opening")
        let bulletin = try #require(report.cadences.first { $0.kind == .bulletin })
        #expect(bulletin.role == .coordinator && bulletin.onTime == 1 && bulletin.missed == 1)
        #expect(bulletin.compliance.map { ($0 * 100).rounded() } == 50)

        let html = await daemon.request("GET", "/api/v1/reports/response?from=\(from)&to=\(to)&format=html", token: "token-li")
        #expect(html.text.contains("<svg") && html.text.contains("MTTA 3m 15s") && html.text.contains("<td>priya.raman</td>"))
        let text = await daemon.request("GET", "/api/v1/reports/response?from=\(from)&to=\(to)&format=text", token: "token-li")
        #expect(text.text.contains("payments-core  SEV1  2          3m 15s  –     2      0"))

        let refused = await daemon.request("GET", "/api/v1/reports/response?from=\(from)&to=\(to)", token: "token-zhang")
        #expect(refused.status == 403)
        let backwards = await daemon.request("GET", "/api/v1/reports/response?from=\(to)&to=\(from)", token: "token-li")
        #expect(backwards.status == 400)
    }
}

/// An acknowledgement that runs out and is given again: the time to acknowledge is the first.
@Suite struct FirstAcknowledgementTests {
    @Test(arguments: StoreBackend.all) func timeToAcknowledgeIsTheFirstAcknowledgementAndLaterOnesAreShownAsSuch(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = EscalationPolicies(default: EscalationPolicy(
                steps: [EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)])], ackTimeout: .seconds(60)))
        }
        defer { daemon.stop() }
        let from = UTCTime.string(daemon.clock.now().addingTimeInterval(-60))
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 51)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen").status == 200)
        await daemon.advance(by: 60)
        #expect(try daemon.events(.acknowledgementTimedOut).count == 1, "the acknowledgement ran out and the commander was paged again")
        await daemon.advance(by: 56)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen").status == 200)
        let opened = try daemon.engine.store.incident(1).openedAt

        let json = await daemon.request("POST", "/api/v1/incidents/1/export?format=json", token: "token-grace")
        let export = try TocsinJSON.decoder.decode(IncidentExport.self, from: json.body)
        #expect(export.figures.acknowledge == 51)
        let markdown = await daemon.request("POST", "/api/v1/incidents/1/export?format=markdown&tz=UTC", token: "token-grace").text
        #expect(markdown.contains("| Time to acknowledge | 51s |"), "\(markdown.prefix(1200))")
        let first = UTCTime.string(opened.addingTimeInterval(51)), again = UTCTime.string(opened.addingTimeInterval(167))
        #expect(markdown.contains("\(first) by chen.wei; again \(again) by chen.wei after the last one ran out"), "\(markdown.prefix(1200))")

        let to = UTCTime.string(daemon.clock.now().addingTimeInterval(60))
        let response = await daemon.request("GET", "/api/v1/reports/response?from=\(from)&to=\(to)", token: "token-grace")
        let report = try TocsinJSON.decoder.decode(ResponseReport.self, from: response.body)
        #expect(report.byServiceAndSeverity.first?.mtta == 51)
        #expect(report.responders.first?.acknowledgements == 1 && report.responders.first?.median == 51)
    }
}
