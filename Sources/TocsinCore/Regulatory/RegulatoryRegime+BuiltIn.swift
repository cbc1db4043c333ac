import Foundation

extension RegulatoryRegime {
    /// The plan's own report upward: an important event is reported within 4 hours at the latest.
    public static func upward(within: Duration = .seconds(4 * 3600)) -> RegulatoryRegime {
        RegulatoryRegime(
            id: upwardID, title: "Report upward", source: "The payment emergency plan: an important event is reported upward within 4 hours at the latest.",
            starts: .opened,
            reports: [RegulatoryReport(id: "report", title: "Report upward", clock: ReportClock(within: .duration(within), after: .opened),
                                       contents: [.detectedAt, .classifiedAt, .faultStartedAt, .severity, .stage, .scope, .spread, .affectedServices,
                                                  .allBusinessAffected, .initialCause, .tradingStopped, .affectedTransactions, .amount, .rootCause, .recoveryPlan])],
            major: MajorThresholds(severity: .sev2, allBusinessAffected: true, needed: 1))
    }

    /// DORA (Regulation (EU) 2022/2554, Art. 19; Commission Delegated Regulation (EU) 2025/301, Art. 5): a major
    /// ICT-related incident.
    public static let dora = RegulatoryRegime(
        id: "dora", title: "DORA major ICT-related incident",
        source: "Regulation (EU) 2022/2554 (DORA) Art. 19 and Delegated Regulation (EU) 2025/301 Art. 5: initial notification within 4 hours of classification as major and within 24 hours of detection; intermediate report within 72 hours of the submission of the initial notification; final report within one month of the latest updated intermediate report. Classification criteria: Delegated Regulation (EU) 2024/1772.",
        starts: .declared,
        reports: [
            RegulatoryReport(id: "initial", title: "Initial notification",
                             clock: ReportClock(within: .duration(.seconds(4 * 3600)), after: .declared, atMost: ReportLimit(within: .duration(.seconds(24 * 3600)), after: .detected)),
                             remindBefore: .seconds(3600),
                             contents: [.detectedAt, .declaredAt, .classification, .severity, .scope, .spread, .affectedServices, .initialCause, .tradingStopped]),
            RegulatoryReport(id: "intermediate", title: "Intermediate report",
                             clock: ReportClock(within: .duration(.seconds(72 * 3600)), after: .submitted("initial")), remindBefore: .seconds(12 * 3600),
                             contents: [.previousReference, .detectedAt, .declaredAt, .faultStartedAt, .classification, .scope, .spread, .affectedServices,
                                        .affectedTransactions, .amount, .channels, .banks, .initialCause, .operations, .serviceRestoredAt]),
            RegulatoryReport(id: "final", title: "Final report",
                             clock: ReportClock(within: .months(1), after: .latest("intermediate")), remindBefore: .seconds(7 * 86400),
                             contents: [.previousReference, .classification, .faultStartedAt, .serviceRestoredAt, .rootCause, .recoveryPlan, .operations,
                                        .affectedTransactions, .amount, .channels, .banks, .reconciliation, .summary, .followUps]),
        ],
        major: MajorThresholds(allBusinessAffected: true, affectedTransactions: 100_000, amount: 15_000_000, currency: "EUR",
                               downtime: .seconds(2 * 3600), channelsAndBanks: 2, needed: 2))

    /// NIS2 (Directive (EU) 2022/2555, Art. 23): a significant incident.
    public static let nis2 = RegulatoryRegime(
        id: "nis2", title: "NIS2 significant incident",
        source: "Directive (EU) 2022/2555 (NIS2) Art. 23(4): early warning within 24 hours of becoming aware, incident notification within 72 hours of becoming aware, final report within one month of the notification. Significance: Implementing Regulation (EU) 2024/2690 Art. 3.",
        starts: .declared,
        reports: [
            RegulatoryReport(id: "early_warning", title: "Early warning", clock: ReportClock(within: .duration(.seconds(24 * 3600)), after: .detected),
                             remindBefore: .seconds(4 * 3600), contents: [.detectedAt, .declaredAt, .scope, .spread, .initialCause]),
            RegulatoryReport(id: "notification", title: "Incident notification", clock: ReportClock(within: .duration(.seconds(72 * 3600)), after: .detected),
                             remindBefore: .seconds(12 * 3600),
                             contents: [.previousReference, .detectedAt, .faultStartedAt, .classification, .severity, .scope, .spread, .affectedServices, .initialCause]),
            RegulatoryReport(id: "final", title: "Final report", clock: ReportClock(within: .months(1), after: .submitted("notification")),
                             remindBefore: .seconds(7 * 86400),
                             contents: [.previousReference, .classification, .rootCause, .recoveryPlan, .operations, .spread, .affectedTransactions, .amount,
                                        .serviceRestoredAt, .summary, .followUps]),
        ],
        major: MajorThresholds(allBusinessAffected: true, amount: 500_000, currency: "EUR", downtime: .seconds(24 * 3600), needed: 1))

    /// The regimes Tocsin ships, by id; a configuration enables them by name.
    public static func builtIn(_ id: String, upwardWithin: Duration = .seconds(4 * 3600)) -> RegulatoryRegime? {
        switch id {
        case upwardID: upward(within: upwardWithin)
        case "dora": dora
        case "nis2": nis2
        default: nil
        }
    }

    public static let builtInIDs = [upwardID, "dora", "nis2"]
}
