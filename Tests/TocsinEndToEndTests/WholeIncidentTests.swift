import Foundation
import Testing
import TocsinCore

/// One total outage from the first alert to `closed`, as a drill would run it, checked
/// against the timeline it leaves.
@Suite struct WholeIncidentTests {
    @Test(arguments: StoreBackend.all) func totalOutageFromFirstAlertToClosed(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await TotalOutageDrill.run(daemon)

        let incident = try daemon.engine.store.incident(1)
        #expect(incident.stage == .closed)
        let timeline = try daemon.engine.store.timeline(1)
        #expect(timeline.firstBrokenLink() == nil)
        let stages = timeline.filter { $0.kind == .stageChanged }.map { "\($0.detail["from"]!)→\($0.detail["to"]!)" }
        #expect(stages == ["reported→assessing", "assessing→trading_stopped", "trading_stopped→recovering", "recovering→reconciling", "reconciling→closed"])
        let procedural = timeline.map(\.kind).filter { ![.pageQueued, .pageSent, .updateReminder].contains($0) }
        #expect(procedural == [
            .incidentOpened, .alertReceived, .severitySet, .acknowledged,
            .stageChanged, .assessmentRecorded, .checklistTicked, .stopTradingProposed, .stopTradingApproved,
            .tradeSwitchSucceeded, .stageChanged, .updatePosted, .planRecorded, .deadlineMet, .planApproved, .stageChanged,
            .operationRecorded, .roleHandedOver, .serviceRestored, .resumeTradingRequested, .tradeSwitchSucceeded,
            .updatePosted, .stageChanged, .reconciliationRecorded, .updatePosted, .stageChanged,
        ])
        #expect(timeline.first { $0.kind == .stopTradingApproved }?.actor == "li.na")
        #expect(timeline.first { $0.kind == .roleHandedOver }?.detail == ["role": "commander", "from": "chen.wei", "to": "priya.raman"])
        #expect(timeline.last { $0.kind == .stageChanged }?.detail["follow_ups"] == "Replace storage controller; Drill ledger failover quarterly")
        #expect(daemon.listener.pages.map(\.path).filter { $0.hasPrefix("/platform") } == ["/platform/stop-trading", "/platform/resume-trading"])

        // Every stage change reached the roles that must know, internal people before the external vendor.
        let stageNotices = daemon.listener.pages.filter { $0.json["subject"] as? String == "stage_changed" }
        #expect(stageNotices.count == 5 * 5, "five people (leadership, coordinator, business lead, commander, vendor) hear of each of five stage changes")
        for change in Dictionary(grouping: stageNotices, by: { $0.json["message"] as? String ?? "" }).values {
            let order = change.sorted { $0.arrivedAt < $1.arrivedAt }.map { $0.json["person"] as? String ?? "" }
            #expect(order.last == "vendor.dba", "the external vendor hears last: \(order)")
        }

        // Nothing more runs on a closed incident: no reminders, no missed updates.
        let count = daemon.listener.pages.count
        await daemon.advance(by: 6 * 3600)
        #expect(daemon.listener.pages.count == count)
        let refused = await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-chen", body: "{\"text\":\"late\"}")
        #expect(refused.status == 409)
    }
}
