import Foundation

/// Whether the recorded figures make the incident major under a regime, and why: the criteria
/// met, those not met, and those that cannot be judged until a figure is recorded.
public struct MajorSuggestion: Sendable, Hashable, Codable {
    public var regime: String
    public var major: Bool
    /// How many criteria must be met.
    public var needed: Int
    public var met: [String]
    public var notMet: [String]
    public var unknown: [String]

    private enum CodingKeys: String, CodingKey { case regime, major, needed, met, notMet = "not_met", unknown }

    /// One sentence: the suggestion and its reasons.
    public var summary: String {
        let verdict = major ? "major" : "not major"
        let reasons = major ? met : (met.isEmpty ? notMet : met + notMet)
        return "\(verdict) (\(met.count) of \(needed) needed criteria met)" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; "))
    }

    /// Reads the figures on record against `regime`'s thresholds at `now`.
    public init(regime: RegulatoryRegime, incident: Incident, record: ProcedureRecord, events: [TimelineEvent], now: Date) {
        let limits = regime.major
        var met: [String] = [], notMet: [String] = [], unknown: [String] = []
        func judge(_ passes: Bool, _ yes: String, _ no: String) {
            if passes { met.append(yes) } else { notMet.append(no) }
        }
        if let worst = limits.severity {
            judge(incident.severity.isAtLeast(worst), "severity \(incident.severity) is \(worst) or worse", "severity \(incident.severity) is below \(worst)")
        }
        if limits.allBusinessAffected {
            if let assessment = record.assessment {
                judge(assessment.allBusinessAffected, "all business is affected", "not all business is affected")
            } else {
                unknown.append("whether all business is affected: no assessment recorded")
            }
        }
        let reconciled = events.contains { $0.kind == .reconciliationRecorded }
        let money = record.reconciliation
        if let count = limits.affectedTransactions {
            if reconciled {
                judge(money.affectedTransactions >= count, "\(money.affectedTransactions) transactions affected, at least \(count)",
                      "\(money.affectedTransactions) transactions affected, fewer than \(count)")
            } else {
                unknown.append("affected transactions: not recorded")
            }
        }
        if let threshold = limits.amount {
            let currency = limits.currency.map { " \($0)" } ?? ""
            if let text = money.amount, let amount = Decimal(string: text) {
                if let wanted = limits.currency, let given = money.currency, wanted != given {
                    unknown.append("amount: \(text) \(given) is not compared with a threshold in \(wanted)")
                } else {
                    judge(amount >= threshold, "amount \(text)\(currency) is at least \(threshold)\(currency)", "amount \(text)\(currency) is below \(threshold)\(currency)")
                }
            } else {
                unknown.append("amount: not recorded")
            }
        }
        if let longest = limits.downtime {
            let detected = RegulatoryFilings(incident: incident, events: events).detectedAt
            let start = record.assessment?.faultStartedAt ?? detected
            let end = record.serviceRestoredAt ?? now
            let down = end.timeIntervalSince(start)
            let words = "service down \(DurationWords.text(down))\(record.serviceRestoredAt == nil ? " so far" : "")"
            judge(down >= longest.seconds, "\(words), at least \(DurationWords.text(longest.seconds))", "\(words), less than \(DurationWords.text(longest.seconds))")
        }
        if let count = limits.channelsAndBanks {
            if reconciled {
                let touched = money.channels.count + money.banks.count
                judge(touched >= count, "\(touched) channels and banks touched, at least \(count)", "\(touched) channels and banks touched, fewer than \(count)")
            } else {
                unknown.append("channels and banks: not recorded")
            }
        }
        self.regime = regime.id
        self.needed = limits.needed
        self.major = met.count >= limits.needed
        self.met = met
        self.notMet = notMet
        self.unknown = unknown
    }
}
