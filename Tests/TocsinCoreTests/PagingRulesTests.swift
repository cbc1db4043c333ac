import Foundation
import Testing
import TocsinCore

@Suite struct EscalationPoliciesTests {
    static let commander = EscalationPolicy(steps: [EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)])])
    static let everyone = EscalationPolicy(steps: [EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary), .role(.leadership, .primary)], everyoneMustAcknowledge: true)],
                                           repeatCount: 2, repeatAfter: .seconds(900), ackTimeout: .seconds(600))

    @Test func eachSeverityGetsItsOwnPolicyOrTheDefault() {
        let policies = EscalationPolicies(default: Self.commander, bySeverity: [.sev1: Self.everyone])
        #expect(policies.policy(for: .sev1) == Self.everyone)
        #expect(policies.policy(for: .sev2) == Self.commander)
        #expect(policies.policy(for: .sev4) == Self.commander)
        #expect(policies.named.map(\.name) == ["default", "SEV1"])
    }

    @Test func policySnapshotsRoundTripAndOldSnapshotsStillRead() throws {
        let decoded = try JSONDecoder().decode(EscalationPolicy.self, from: JSONEncoder().encode(Self.everyone))
        #expect(decoded == Self.everyone)
        #expect(Self.commander.ackTimeout == .seconds(1800), "the acknowledgement timeout defaults to 30 minutes")
        let old = #"{"steps":[{"delay_seconds":0,"targets":["fault_analyst.primary"]},{"delay_seconds":300,"targets":["person:li.na"]}]}"#
        let legacy = try JSONDecoder().decode(EscalationPolicy.self, from: Data(old.utf8))
        #expect(legacy.steps.count == 2 && legacy.repeatCount == 0 && !legacy.steps[0].everyoneMustAcknowledge)
        #expect(legacy.ackTimeout == nil, "an incident opened before timeouts existed keeps behaving as it did")
        #expect(legacy.repeatAfter == .seconds(300), "a repeat waits the last step's delay unless told")
    }

    @Test func rotationTargetsHaveAWrittenForm() {
        #expect(EscalationTarget(text: "rotation:dbas") == .rotation("dbas"))
        #expect(EscalationTarget(text: "rotation:") == nil)
        #expect(EscalationTarget(text: "team:dbas") == nil)
        #expect(EscalationTarget.rotation("dbas").description == "rotation:dbas")
    }
}

@Suite struct RetryScheduleTests {
    @Test func backoffDoublesUpToTheCapWithJitterBelowIt() {
        let schedule = RetrySchedule(base: .seconds(1), cap: .seconds(300), jitter: 0.5)
        #expect(schedule.delay(afterAttempt: 1, retryAfter: nil, random: 0) == .seconds(1))
        #expect(schedule.delay(afterAttempt: 2, retryAfter: nil, random: 0) == .seconds(2))
        #expect(schedule.delay(afterAttempt: 5, retryAfter: nil, random: 0) == .seconds(16))
        #expect(schedule.delay(afterAttempt: 20, retryAfter: nil, random: 0) == .seconds(300))
        #expect(schedule.delay(afterAttempt: 5, retryAfter: nil, random: 0.999) == .milliseconds(8008))
        let spread = Set((0..<50).map { _ in schedule.delay(afterAttempt: 6, retryAfter: nil, random: Double.random(in: 0..<1)) })
        #expect(spread.count > 1 && spread.allSatisfy { $0 > .seconds(16) && $0 <= .seconds(32) })
    }

    @Test func retryAfterIsHonouredButBounded() {
        let schedule = RetrySchedule(jitter: 0)
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(30), random: 0) == .seconds(30))
        #expect(schedule.delay(afterAttempt: 10, retryAfter: .seconds(30), random: 0) == .seconds(300), "backoff wins when longer")
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(86400 * 7), random: 0) == .seconds(3600))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetrySchedule.parseRetryAfter("120", now: now) == .seconds(120))
        #expect(RetrySchedule.parseRetryAfter("Fri, 15 Jan 2027 08:01:00 GMT", now: now) == .seconds(60))
        #expect(RetrySchedule.parseRetryAfter("soon", now: now) == nil)
    }
}

@Suite struct BundlingDecisionTests {
    let limit = RateLimit(messages: 3, per: .seconds(60))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func withinTheLimitEachPageGoesAlone() {
        #expect(BundlingDecision.decide(due: 1, recentSends: [], limit: limit, now: now) == .sendEach)
        #expect(BundlingDecision.decide(due: 2, recentSends: [now.addingTimeInterval(-10)], limit: limit, now: now) == .sendEach)
        #expect(BundlingDecision.decide(due: 3, recentSends: [now.addingTimeInterval(-61)], limit: limit, now: now) == .sendEach, "old sends are out of the window")
    }

    @Test func aFloodedDestinationGetsOneBundleOrWaitsForRoom() {
        #expect(BundlingDecision.decide(due: 4, recentSends: [], limit: limit, now: now) == .bundle)
        #expect(BundlingDecision.decide(due: 2, recentSends: [now.addingTimeInterval(-5), now.addingTimeInterval(-1)], limit: limit, now: now) == .bundle)
        let full = [now.addingTimeInterval(-50), now.addingTimeInterval(-20), now.addingTimeInterval(-5)]
        #expect(BundlingDecision.decide(due: 1, recentSends: full, limit: limit, now: now) == .wait(until: now.addingTimeInterval(10)))
        #expect(BundlingDecision.decide(due: 9, recentSends: full + [now.addingTimeInterval(-1)], limit: limit, now: now) == .wait(until: now.addingTimeInterval(40)))
        #expect(BundlingDecision.decide(due: 100, recentSends: full, limit: .unlimited, now: now) == .sendEach)
    }
}

@Suite struct PageRenderingTests {
    static func message(_ incident: Int64) -> PageMessage {
        PageMessage(incidentID: incident, severity: .sev1, summary: "Card auth failing", service: "card-acquiring", stage: .reported,
                    step: 1, person: "chen.wei", runbook: nil, acknowledgeURL: "http://t/ack/\(incident)?sig=x")
    }

    @Test func eachFlavourGetsItsShape() throws {
        let json = PageRendering.request(for: [Self.message(1)], to: ContactMethod(webhookURL: "http://t/hook"))
        let object = try #require(try JSONSerialization.jsonObject(with: json.body) as? [String: Any])
        #expect(object["incident_id"] as? Int == 1 && object["level"] as? Int == 2 && object["reason"] as? String == "escalation")
        #expect(json.contentType == "application/json")

        let slack = PageRendering.request(for: [Self.message(1)], to: ContactMethod(channel: "slack", webhookURL: "http://t/slack", flavour: .slack))
        let text = try #require((try JSONSerialization.jsonObject(with: slack.body) as? [String: String])?["text"])
        #expect(text == "[SEV1] Incident 1: Card auth failing (card-acquiring). Level 2. Acknowledge: http://t/ack/1?sig=x")

        let sms = PageRendering.request(for: [Self.message(1)], to: ContactMethod(channel: "sms", webhookURL: "http://gw/send?to=%2B86&text={message}", flavour: .sms))
        #expect(sms.url.hasPrefix("http://gw/send?to=%2B86&text=%5BSEV1%5D%20Incident%201%3A%20Card"))
        #expect(!sms.url.contains("{message}"))
        #expect(String(decoding: sms.body, as: UTF8.self) == text)
        #expect(ContactMethod(channel: "sms", webhookURL: "http://gw/send", flavour: .sms).problem?.contains("{message}") == true)
    }

    @Test func aBundleCarriesEveryIncident() throws {
        let bundle = PageRendering.request(for: [Self.message(1), Self.message(2), Self.message(3)], to: ContactMethod(webhookURL: "http://t/hook"))
        let decoded = try JSONDecoder().decode(PageBundle.self, from: bundle.body)
        #expect(decoded.count == 3 && decoded.pages.map(\.incidentID) == [1, 2, 3])
        let slack = PageRendering.request(for: [Self.message(1), Self.message(2)], to: ContactMethod(webhookURL: "http://t/s", flavour: .slack))
        let text = try #require((try JSONSerialization.jsonObject(with: slack.body) as? [String: String])?["text"])
        #expect(text.hasPrefix("2 pages for 2 incident(s)") && text.contains("Incident 1:") && text.contains("Incident 2:"))
    }
}
