import Foundation
import Testing
import TocsinConfig
import TocsinCore

/// `procedure.regulatory`: the built-in regimes a config enables, and a regime of its own with
/// its reports' clocks and contents.
@Suite struct RegulatoryConfigTests {
    static let enabled = """
          regulatory:
            enable: [upward, dora, nis2]
        """

    @Test func theShippedConfigEnablesTheReportUpwardDoraAndNIS2() throws {
        let rules = try ConfigFolder().load().procedure
        #expect(rules.regulatoryRegimes.map(\.id) == ["upward", "dora", "nis2"])
        #expect(rules.regulatoryReportWithin == .seconds(4 * 3600))
        #expect(rules.regime("dora")?.report("initial")?.clock.description == "4h after declared, at most 24h after detected")
    }

    @Test func leavingTheReportUpwardOutStopsItsClock() throws {
        let folder = try ConfigFolder()
        try folder.replace(Self.enabled, with: "  regulatory:\n    enable: [dora]", in: "Deploy/tocsin.yaml")
        let rules = try folder.load().procedure
        #expect(rules.regulatoryReportWithin == nil)
        #expect(rules.regulatoryRegimes.map(\.id) == ["dora"])
    }

    @Test func aRegimeOfTheConfigsOwnWithItsClocksAndContents() throws {
        let folder = try ConfigFolder()
        try folder.replace(Self.enabled, with: """
              regulatory:
                enable: [upward]
                regimes:
                  central_bank:
                    title: Central bank outage report
                    starts: declared
                    reports:
                      - id: first
                        due: 2h after declared, at most 12h after detected
                        owner: commander
                        remind_before: 30m
                        contents: [detected_at, scope, amount]
                      - id: closing
                        due: 2 months after first
                        contents: [root_cause, summary]
                      - id: settled
                        due: 14d after latest closing
                        contents: [reconciliation]
                    major: {affected_transactions: 1000, amount: "500000", currency: CNY, needed: 1}
            """, in: "Deploy/tocsin.yaml")
        let regime = try #require(try folder.load().procedure.regime("central_bank"))
        let first = try #require(regime.report("first"))
        #expect(first.clock == ReportClock(within: .duration(.seconds(7200)), after: .declared, atMost: ReportLimit(within: .duration(.seconds(43200)), after: .detected)))
        #expect(first.owner == .commander && first.remindBefore == .seconds(1800) && first.contents == [.detectedAt, .scope, .amount])
        #expect(regime.report("closing")?.clock == ReportClock(within: .months(2), after: .submitted("first")))
        #expect(regime.report("settled")?.clock == ReportClock(within: .duration(.seconds(14 * 86400)), after: .latest("closing")))
        #expect(regime.report("settled")?.clock.description == "336h after latest closing")
        #expect(regime.major.affectedTransactions == 1000 && regime.major.amount == 500_000 && regime.major.currency == "CNY")
    }

    @Test(arguments: [
        ("enable: [upward, gdpr]", "no built-in regime \"gdpr\""),
        ("regimes: {dora: {reports: [{id: a, due: 1h after declared}]}}", "built-in regime"),
        ("regimes: {own: {reports: [{id: a, due: soon}]}}", "expected e.g."),
        ("regimes: {own: {reports: [{id: a, due: 1h after nothing}]}}", "neither opened, detected, declared nor a report"),
        ("regimes: {own: {reports: [{id: a, due: 1h after latest nothing}]}}", "neither opened, detected, declared nor a report"),
        ("regimes: {own: {reports: [{id: a, due: 1h after latest}]}}", "neither opened, detected, declared nor a report"),
        ("regimes: {own: {reports: [{id: a, due: 1h after declared, contents: [mood]}]}}", "unknown field \"mood\""),
    ])
    func mistakesAreRefusedWithWhatIsWrong(_ text: String, _ problem: String) throws {
        let folder = try ConfigFolder()
        try folder.replace(Self.enabled, with: "  regulatory:\n    \(text)", in: "Deploy/tocsin.yaml")
        let error = #expect(throws: (any Error).self) { try folder.load() }
        #expect(error.map { "\($0)".contains(problem) } == true, "\(String(describing: error))")
    }
}
