import Foundation
import Testing
import TocsinCore

/// Pages and their delivery state, folded from the timeline events the outbox records.
@Suite struct PageTrailTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func event(_ sequence: Int, _ kind: TimelineEventKind, _ detail: [String: String]) -> TimelineEvent {
        TimelineEvent(incidentID: 1, sequence: sequence, at: start.addingTimeInterval(Double(sequence)), kind: kind, actor: "tocsin",
                      detail: detail, previousHash: TimelineEvent.genesisHash)
    }

    @Test func eachPageEndsInTheStateItsLastDeliveryEventGives() {
        let chen = "incident-1/step-0/chen.wei/webhook", priya = "incident-1/step-1/priya.raman/webhook"
        let sam = "incident-1/notice-9/sam.okafor/sms", li = "incident-1/notice-9/li.na/webhook"
        let trail = PageTrail([
            event(1, .pageQueued, ["person": "chen.wei", "channel": "webhook", "step": "0", "idempotency_key": chen]),
            event(2, .pageFailed, ["attempt": "1", "status": "503", "retry_in_s": "1.0", "idempotency_key": chen]),
            event(3, .pageSent, ["attempt": "2", "status": "200", "idempotency_key": chen]),
            event(4, .pageQueued, ["person": "priya.raman", "channel": "webhook", "step": "1", "idempotency_key": priya]),
            event(5, .pageCancelled, ["reason": "acknowledged", "idempotency_key": priya]),
            event(6, .pageQueued, ["person": "sam.okafor", "channel": "sms", "purpose": "stage_changed", "idempotency_key": sam]),
            event(7, .pageFailed, ["attempt": "1", "error": "connection refused", "final": "true", "idempotency_key": sam]),
            event(8, .pageQueued, ["person": "li.na", "channel": "webhook", "purpose": "stage_changed", "idempotency_key": li]),
            event(9, .acknowledged, ["via": "console"]),
        ])
        #expect(trail.pages.map(\.person) == ["chen.wei", "priya.raman", "sam.okafor", "li.na"])
        #expect(trail.pages.map(\.state) == [.delivered, .cancelled, .failed, .queued])
        #expect(trail.pages.map(\.attempts) == [2, 0, 1, 0])
        #expect(trail.pages.map(\.purpose) == ["escalation level 1", "escalation level 2", "stage_changed", "stage_changed"])
        #expect(trail.pages[2].lastError == "connection refused")
        #expect(trail.pages[0].changedAt == start.addingTimeInterval(3))
        #expect(!PageTrail.isDeliveryDetail(.acknowledged) && PageTrail.isDeliveryDetail(.pageBundled))
    }

    @Test func beingPagedIsTheLatestStepsPeopleUntilSomeoneAcknowledges() {
        func queued(_ sequence: Int, _ person: String, step: String? = nil, purpose: String? = nil) -> TimelineEvent {
            var detail = ["person": person, "channel": "webhook", "idempotency_key": "incident-1/\(sequence)/\(person)"]
            detail["step"] = step
            detail["purpose"] = purpose
            return event(sequence, .pageQueued, detail)
        }
        var incident = Incident(id: 1, title: "Card auth failing", service: "payments-core", severity: .sev1, stage: .reported, runbookID: nil,
                                openedAt: start, acknowledgedAt: nil, acknowledgedBy: nil, policy: EscalationPolicy(steps: []))
        let events = [
            queued(1, "chen.wei", step: "0"),
            queued(2, "priya.raman", step: "1"),
            queued(3, "sam.okafor", step: "2"), queued(4, "li.na", step: "2"),
            event(5, .pageFailed, ["attempt": "1", "error": "connection refused", "final": "true", "idempotency_key": "incident-1/4/li.na"]),
            queued(6, "maria.santos", purpose: "stage_changed"),
        ]
        #expect(PageTrail(Array(events.prefix(2))).beingPaged(incident) == ["priya.raman"])
        #expect(PageTrail(events).beingPaged(incident) == ["sam.okafor"], "a notice is no escalation, and a page that failed for good reaches nobody")
        #expect(PageTrail(events + [queued(7, "chen.wei", step: "0")]).beingPaged(incident) == ["chen.wei"], "a second pass starts again at the first step")
        incident.acknowledgedAt = start.addingTimeInterval(10)
        #expect(PageTrail(events).beingPaged(incident).isEmpty)
    }
}
