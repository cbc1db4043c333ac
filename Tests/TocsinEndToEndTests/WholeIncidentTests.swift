import Foundation
import Testing
import TocsinCore

/// One total outage from the first alert to `closed`, as a drill would run it, checked
/// against the timeline it leaves.
@Suite struct WholeIncidentTests {
    func act(_ daemon: TestDaemon, _ action: String, _ fields: [String: Any] = [:], as token: String) async throws {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/incidents/1/\(action)", token: token, body: body)
        #expect(response.status == 200, "\(action): \(response.json["detail"] ?? response.text)")
        await daemon.runDue()
    }

    @Test func totalOutageFromFirstAlertToClosed() async throws {
        let daemon = try await TestDaemon()
        defer { Task { await daemon.stop() } }
        let start = daemon.clock.now()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        await daemon.runDue()
        await daemon.advance(by: 120)
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")

        try await act(daemon, "advance", ["to": "assessing"], as: "token-chen")
        try await act(daemon, "assess", ["fault_started_at": UTCTime.string(start.addingTimeInterval(-240)), "scope": "all payments",
                                         "spread": "all regions, rising", "affected_services": ["payments-core", "card-acquiring"],
                                         "all_business_affected": true, "initial_cause": "core ledger primary unreachable"], as: "token-chen")
        try await act(daemon, "checklist", ["step": 1], as: "token-chen")
        try await act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen")
        try await act(daemon, "approve-stop-trading", as: "token-li")
        await daemon.advance(by: 600)
        try await act(daemon, "update", ["kind": "bulletin", "text": "Trading stopped at 10:12; ledger failover starting"], as: "token-sam")
        try await act(daemon, "plan", ["root_cause": "ledger primary storage controller failed", "steps": "promote replica; repoint apps"], as: "token-chen")
        try await act(daemon, "approve-plan", as: "token-zhou")
        try await act(daemon, "advance", ["to": "recovering"], as: "token-chen")
        try await act(daemon, "op", ["action": "promoted replica db-2", "result": "writes accepted"], as: "token-zhang")
        try await act(daemon, "handover", ["role": "commander", "to": "priya.raman"], as: "token-chen")
        try await act(daemon, "service-restored", as: "token-priya")
        try await act(daemon, "resume-trading", as: "token-priya")
        try await act(daemon, "update", ["kind": "business", "text": "Payments are back; merchants notified"], as: "token-maria")
        try await act(daemon, "advance", ["to": "reconciling"], as: "token-priya")
        try await act(daemon, "reconcile", ["affected_transactions": 4810, "amount": "1250400.75", "currency": "CNY",
                                            "channels": ["UnionPay", "WeChat Pay"], "banks": ["ICBC", "CCB"],
                                            "discrepancies_found": 12, "discrepancies_resolved": 12], as: "token-zhang")
        try await act(daemon, "update", ["kind": "regulatory", "text": "Initial report filed with the regulator"], as: "token-sam")
        try await act(daemon, "advance", ["to": "closed", "summary": "Ledger primary failed; trading stopped 20 minutes.",
                                          "follow_ups": ["Replace storage controller", "Drill ledger failover quarterly"]], as: "token-priya")

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
