import Foundation
import Testing
import TocsinCore

/// A total outage run end to end through the API, as a drill would: the shared story
/// behind the whole-incident and export tests.
enum TotalOutageDrill {
    static func act(_ daemon: TestDaemon, _ action: String, _ fields: [String: Any] = [:], as token: String) async throws {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        let response = await daemon.request("POST", "/api/v1/incidents/1/\(action)", token: token, body: body)
        #expect(response.status == 200, "\(action): \(response.json["detail"] ?? response.text)")
        await daemon.runDue()
    }

    /// Runs incident 1 from its first alert to `closed`.
    static func run(_ daemon: TestDaemon) async throws {
        let start = daemon.clock.now()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        await daemon.runDue()
        await daemon.advance(by: 120)
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")

        try await Self.act(daemon, "advance", ["to": "assessing"], as: "token-chen")
        try await Self.act(daemon, "assess", ["fault_started_at": UTCTime.string(start.addingTimeInterval(-240)), "scope": "all payments",
                                         "spread": "all regions, rising", "affected_services": ["payments-core", "card-acquiring"],
                                         "all_business_affected": true, "initial_cause": "core ledger primary unreachable"], as: "token-chen")
        try await Self.act(daemon, "checklist", ["step": 1], as: "token-chen")
        try await Self.act(daemon, "stop-trading", ["what": "all trading"], as: "token-chen")
        try await Self.act(daemon, "approve-stop-trading", as: "token-li")
        await daemon.advance(by: 600)
        try await Self.act(daemon, "update", ["kind": "bulletin", "text": "Trading stopped at 10:12; ledger failover starting"], as: "token-sam")
        try await Self.act(daemon, "plan", ["root_cause": "ledger primary storage controller failed", "steps": "promote replica; repoint apps"], as: "token-chen")
        try await Self.act(daemon, "approve-plan", as: "token-zhou")
        try await Self.act(daemon, "advance", ["to": "recovering"], as: "token-chen")
        try await Self.act(daemon, "op", ["action": "promoted replica db-2", "result": "writes accepted"], as: "token-zhang")
        try await Self.act(daemon, "handover", ["role": "commander", "to": "priya.raman"], as: "token-chen")
        try await Self.act(daemon, "service-restored", as: "token-priya")
        try await Self.act(daemon, "resume-trading", as: "token-priya")
        try await Self.act(daemon, "update", ["kind": "business", "text": "Payments are back; merchants notified"], as: "token-maria")
        try await Self.act(daemon, "advance", ["to": "reconciling"], as: "token-priya")
        try await Self.act(daemon, "reconcile", ["affected_transactions": 4810, "amount": "1250400.75", "currency": "CNY",
                                            "channels": ["UnionPay", "WeChat Pay"], "banks": ["ICBC", "CCB"],
                                            "discrepancies_found": 12, "discrepancies_resolved": 12], as: "token-zhang")
        try await Self.act(daemon, "update", ["kind": "regulatory", "text": "Initial report filed with the regulator"], as: "token-sam")
        try await Self.act(daemon, "advance", ["to": "closed", "summary": "Ledger primary failed; trading stopped 20 minutes.",
                                          "follow_ups": ["Replace storage controller", "Drill ledger failover quarterly"]], as: "token-priya")

    }
}
