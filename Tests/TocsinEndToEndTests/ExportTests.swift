import Foundation
import Testing
import TocsinCore

/// The export is the record: every event, in order, with UTC times and actors.
@Suite struct ExportTests {
    @Test func exportHoldsEveryEventInOrderInBothFormats() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 300)
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-priya")

        let json = await daemon.request("GET", "/api/v1/incidents/1/export?format=json", token: "token-chen")
        #expect(json.status == 200)
        let export = try TimelineExport.jsonDecoder.decode(TimelineExport.self, from: json.body)
        #expect(export.events.map(\.kind) == [
            .incidentOpened, .alertReceived, .severitySet, .pageQueued, .pageSent,
            .escalated, .pageQueued, .pageSent, .acknowledged,
        ])
        #expect(export.events.map(\.sequence) == Array(1...9))
        #expect(export.events.map(\.actor) == ["prometheus", "prometheus", "tocsin", "tocsin", "tocsin", "tocsin", "tocsin", "tocsin", "priya.raman"])
        #expect(export.events.first?.at == daemon.clock.now().addingTimeInterval(-300))
        #expect(export.events.firstBrokenLink() == nil)
        #expect(json.text.contains("\"at\" : \"2027-01-15T08:00:00.000Z\""))

        let timeline = await daemon.request("GET", "/api/v1/incidents/1/timeline", token: "token-chen")
        #expect(try TimelineExport.jsonDecoder.decode(TimelineExport.self, from: timeline.body).events == export.events)

        let markdown = await daemon.request("GET", "/api/v1/incidents/1/export?format=markdown", token: "token-chen")
        let lines = markdown.text.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.dropFirst(2).first?.isNumber == true }
        #expect(lines.count == 9)
        #expect(lines.first?.contains("| 1 | 2027-01-15T08:00:00.000Z | incident_opened | prometheus |") == true)
        #expect(lines.last?.contains("| acknowledged | priya.raman |") == true)

        let unknown = await daemon.request("GET", "/api/v1/incidents/1/export?format=pdf", token: "token-chen")
        #expect(unknown.status == 400)
    }

    @Test func listingShowsIncidentsNewestFirst() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "one", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "two", startsAt: daemon.clock.now()))
        let list = await daemon.request("GET", "/api/v1/incidents", token: "token-chen")
        let incidents = try TimelineExport.jsonDecoder.decode([Incident].self, from: list.body)
        #expect(incidents.map(\.id) == [2, 1])
        #expect(incidents.allSatisfy { $0.stage == .reported && $0.severity == .sev1 })
    }
}
