import Foundation

/// The recorded figures past which the classification helper suggests an incident is major
/// under a regime: any `needed` of the criteria set here. A suggestion with its reasons, for a
/// person to confirm with `tocsin regulatory declare`; never a decision of its own.
public struct MajorThresholds: Sendable, Hashable {
    /// The incident's severity is this or worse.
    public var severity: Severity?
    /// The assessment says all business is affected.
    public var allBusinessAffected: Bool
    /// At least this many transactions affected.
    public var affectedTransactions: Int?
    /// At least this amount affected, in `currency`; an amount in another currency is not compared.
    public var amount: Decimal?
    public var currency: String?
    /// Service down at least this long: from the fault's start (or detection) to service restored, or to now.
    public var downtime: Duration?
    /// At least this many channels and banks touched together.
    public var channelsAndBanks: Int?
    /// How many criteria must be met.
    public var needed: Int

    public init(severity: Severity? = nil, allBusinessAffected: Bool = false, affectedTransactions: Int? = nil, amount: Decimal? = nil,
                currency: String? = nil, downtime: Duration? = nil, channelsAndBanks: Int? = nil, needed: Int = 1) {
        self.severity = severity
        self.allBusinessAffected = allBusinessAffected
        self.affectedTransactions = affectedTransactions
        self.amount = amount
        self.currency = currency
        self.downtime = downtime
        self.channelsAndBanks = channelsAndBanks
        self.needed = needed
    }
}
