import Foundation
import TocsinCore

/// Reads `procedure.regulatory`: which built-in regimes are enabled (`enable`) and the
/// configuration's own (`regimes`), each a list of reports with their clocks and contents.
enum RegulatorySettings {
    /// The enabled regimes besides the upward report, and whether the upward report is enabled.
    static func load(_ node: ConfigNode) throws -> (upward: Bool, regimes: [RegulatoryRegime]) {
        let node = try node.allowingOnly(["enable", "regimes"])
        let enabled = node["enable"].exists ? try node["enable"].items().map { try $0.string() } : [RegulatoryRegime.upwardID]
        var regimes: [RegulatoryRegime] = []
        for (index, id) in enabled.enumerated() where id != RegulatoryRegime.upwardID {
            guard let regime = RegulatoryRegime.builtIn(id) else {
                throw node["enable"].error("item \(index + 1): no built-in regime \"\(id)\"; the built-in regimes are \(RegulatoryRegime.builtInIDs.joined(separator: ", "))")
            }
            regimes.append(regime)
        }
        for (id, value) in try node["regimes"].entries() {
            guard RegulatoryRegime.builtIn(id) == nil else { throw value.error("\"\(id)\" is a built-in regime; enable it under `enable`, or give yours another name") }
            regimes.append(try regime(id, value))
        }
        return (enabled.contains(RegulatoryRegime.upwardID), regimes)
    }

    private static func regime(_ id: String, _ node: ConfigNode) throws -> RegulatoryRegime {
        let node = try node.allowingOnly(["title", "source", "starts", "reports", "major"])
        let startsText = try node["starts"].string(default: RegimeStart.declared.rawValue)
        guard let starts = RegimeStart(rawValue: startsText) else { throw node["starts"].error("expected opened or declared, got \"\(startsText)\"") }
        let reports = try node["reports"].items().map(report)
        guard !reports.isEmpty else { throw node["reports"].error("a regime needs at least one report") }
        for report in reports {
            for anchor in [report.clock.after, report.clock.atMost?.after].compactMap({ $0 }) {
                if let other = anchor.report, !reports.contains(where: { $0.id == other }) {
                    throw node["reports"].error("report \(report.id) runs from \"\(other)\", which is neither opened, detected, declared nor a report of this regime")
                }
            }
        }
        return RegulatoryRegime(id: id, title: try node["title"].string(default: id), source: try node["source"].string(default: ""),
                                starts: starts, reports: reports, major: try major(node["major"]))
    }

    private static func report(_ node: ConfigNode) throws -> RegulatoryReport {
        let node = try node.allowingOnly(["id", "title", "due", "owner", "remind_before", "contents"])
        let id = try node["id"].string()
        let ownerText = try node["owner"].string(default: IncidentRole.coordinator.rawValue)
        guard let owner = IncidentRole(rawValue: ownerText) else {
            throw node["owner"].error("expected one of \(IncidentRole.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(ownerText)\"")
        }
        let contents = try node["contents"].items().map { item -> ReportField in
            let name = try item.string()
            guard let field = ReportField(rawValue: name) else {
                throw item.error("unknown field \"\(name)\"; the fields are: \(ReportField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return field
        }
        return RegulatoryReport(id: id, title: try node["title"].string(default: id), clock: try clock(node["due"]), owner: owner,
                                remindBefore: node["remind_before"].exists ? try node["remind_before"].duration() : nil, contents: contents)
    }

    /// `4h after declared`, `72h after initial` (its first submission), `1 month after latest
    /// intermediate` (its latest version), `4h after declared, at most 24h after detected`.
    static func clock(_ node: ConfigNode) throws -> ReportClock {
        let text = try node.string()
        let parts = text.components(separatedBy: ", at most ")
        guard parts.count <= 2, case let (within, after)? = part(parts[0]) else {
            throw node.error("expected e.g. \"4h after declared\", \"1 month after initial\" or \"4h after declared, at most 24h after detected\", got \"\(text)\"")
        }
        var limit: ReportLimit?
        if parts.count == 2 {
            guard case let (limitWithin, limitAfter)? = part(parts[1]) else { throw node.error("cannot read the limit \"at most \(parts[1])\"") }
            limit = ReportLimit(within: limitWithin, after: limitAfter)
        }
        return ReportClock(within: within, after: after, atMost: limit)
    }

    private static func part(_ text: String) -> (ReportPeriod, ReportAnchor)? {
        let words = text.split(separator: " after ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let anchor = words.count == 2 && words[1].hasPrefix("latest ") ? String(words[1].dropFirst("latest ".count)) : words.last ?? ""
        guard words.count == 2, !anchor.isEmpty, !anchor.contains(" ") else { return nil }
        let period: ReportPeriod
        let amount = words[0].split(separator: " ")
        if amount.count == 2, let months = Int(amount[0]), months > 0, ["month", "months"].contains(amount[1]) {
            period = .months(months)
        } else if let duration = DurationText.parse(words[0]), duration > .zero {
            period = .duration(duration)
        } else {
            return nil
        }
        return (period, ReportAnchor(words[1]))
    }

    private static func major(_ node: ConfigNode) throws -> MajorThresholds {
        let node = try node.allowingOnly(["severity", "all_business_affected", "affected_transactions", "amount", "currency", "downtime", "channels_and_banks", "needed"])
        var thresholds = MajorThresholds(needed: try node["needed"].int(default: 1))
        if node["severity"].exists {
            let text = try node["severity"].string()
            guard let severity = Severity(name: text) else { throw node["severity"].error("expected SEV1…SEV4, got \"\(text)\"") }
            thresholds.severity = severity
        }
        thresholds.allBusinessAffected = try node["all_business_affected"].bool(default: false)
        if node["affected_transactions"].exists { thresholds.affectedTransactions = try node["affected_transactions"].int() }
        if node["amount"].exists {
            let text = try node["amount"].string()
            guard let amount = Decimal(string: text), amount >= 0 else { throw node["amount"].error("expected an amount such as 100000, got \"\(text)\"") }
            thresholds.amount = amount
        }
        if node["currency"].exists { thresholds.currency = try node["currency"].string() }
        if node["downtime"].exists { thresholds.downtime = try node["downtime"].duration() }
        if node["channels_and_banks"].exists { thresholds.channelsAndBanks = try node["channels_and_banks"].int() }
        return thresholds
    }
}
