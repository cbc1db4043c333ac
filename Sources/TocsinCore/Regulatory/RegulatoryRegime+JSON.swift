import Foundation

/// The regime as the API lists it: its reports with their clocks, owners and contents, and the
/// thresholds of its classification.
extension RegulatoryRegime: Encodable {
    private enum CodingKeys: String, CodingKey { case id, title, source, starts, reports, major }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(source, forKey: .source)
        try container.encode(starts.rawValue, forKey: .starts)
        try container.encode(reports, forKey: .reports)
        try container.encode(major, forKey: .major)
    }
}

extension RegulatoryReport: Encodable {
    private enum CodingKeys: String, CodingKey { case id, title, clock, owner, remindBefore = "remind_before_seconds", contents }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(clock.description, forKey: .clock)
        try container.encode(owner.rawValue, forKey: .owner)
        try container.encodeIfPresent(remindBefore.map { Int($0.seconds) }, forKey: .remindBefore)
        try container.encode(contents.map(\.rawValue), forKey: .contents)
    }
}

extension MajorThresholds: Encodable {
    private enum CodingKeys: String, CodingKey {
        case severity, allBusinessAffected = "all_business_affected", affectedTransactions = "affected_transactions", amount, currency
        case downtimeSeconds = "downtime_seconds", channelsAndBanks = "channels_and_banks", needed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(severity?.description, forKey: .severity)
        try container.encode(allBusinessAffected, forKey: .allBusinessAffected)
        try container.encodeIfPresent(affectedTransactions, forKey: .affectedTransactions)
        try container.encodeIfPresent(amount.map { "\($0)" }, forKey: .amount)
        try container.encodeIfPresent(currency, forKey: .currency)
        try container.encodeIfPresent(downtime.map { Int($0.seconds) }, forKey: .downtimeSeconds)
        try container.encodeIfPresent(channelsAndBanks, forKey: .channelsAndBanks)
        try container.encode(needed, forKey: .needed)
    }
}
