import Foundation
import Testing
import TocsinCore

@Suite struct SeverityRulesTests {
    let rules = SeverityRules(serviceTiers: ["payments-core": 1, "settlement": 2], defaultTier: 3,
                              urgencyOffsets: ["critical": -1, "high": 0, "medium": 1, "low": 2], defaultUrgencyOffset: 1,
                              raiseAfter: [.seconds(900), .seconds(3600)], majorThreshold: .sev2)
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func alert(_ service: String, urgency: String?) -> AlertReport {
        AlertReport(source: "t", dedupKey: "k", summary: "s", service: service,
                    labels: urgency.map { ["urgency": $0] } ?? [:], startsAt: start)
    }

    @Test func tierAndUrgencySetTheStartingSeverity() {
        #expect(rules.severity(of: alert("payments-core", urgency: "high"), at: start) == .sev1)
        #expect(rules.severity(of: alert("payments-core", urgency: "low"), at: start) == .sev3)
        #expect(rules.severity(of: alert("settlement", urgency: "medium"), at: start) == .sev3)
        #expect(rules.severity(of: alert("settlement", urgency: "critical"), at: start) == .sev1)
        #expect(rules.severity(of: alert("unknown-service", urgency: nil), at: start) == .sev4)
        #expect(rules.severity(of: alert("unknown-service", urgency: "HIGH"), at: start) == .sev3)
    }

    @Test func severityRisesAsTheFaultLasts() {
        let settlement = alert("settlement", urgency: "low")
        #expect(rules.severity(of: settlement, at: start.addingTimeInterval(899)) == .sev4)
        #expect(rules.severity(of: settlement, at: start.addingTimeInterval(900)) == .sev3)
        #expect(rules.severity(of: settlement, at: start.addingTimeInterval(3600)) == .sev2)
        #expect(rules.nextRaise(of: settlement, after: start) == start.addingTimeInterval(900))
        #expect(rules.nextRaise(of: settlement, after: start.addingTimeInterval(900)) == start.addingTimeInterval(3600))
        #expect(rules.nextRaise(of: settlement, after: start.addingTimeInterval(3600)) == nil)
        #expect(rules.nextRaise(of: alert("payments-core", urgency: "high"), after: start) == nil, "SEV1 cannot rise")
    }

    @Test func severityOrdersWorstHighest() {
        #expect(Severity.sev1 > .sev2)
        #expect(max(Severity.sev3, .sev1) == .sev1)
        #expect(Severity.sev2.isAtLeast(.sev2) && Severity.sev1.isAtLeast(.sev2) && !Severity.sev3.isAtLeast(.sev2))
        #expect(Severity(name: "sev3") == .sev3 && Severity(name: "SEV9") == nil)
    }
}
