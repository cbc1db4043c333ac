import Foundation

/// Whether pages get through to anyone at all. One person's receiver being down is that
/// person's problem, and escalation moves past them; every attempt failing, to whomever it
/// goes, means nobody is being woken, and Tocsin must say so through its fallback alarm.
///
/// Kept from the outcomes of page attempts as they are recorded: failing once `failureLimit`
/// attempts in a row have failed, and until one is delivered.
public struct DeliveryHealth: Sendable, Hashable {
    public static let failureLimit = 3

    private var failuresInARow = 0
    private var failingDestinations: Set<String> = []
    private var firstFailureAt: Date?
    private var lastError: String?

    public init() {}

    public mutating func note(delivered: Bool, destination: String, error: String?, at: Date) {
        if delivered {
            self = DeliveryHealth()
            return
        }
        failuresInARow += 1
        failingDestinations.insert(destination)
        firstFailureAt = firstFailureAt ?? at
        lastError = error
    }

    /// Why pages are not getting through, or nil while they are.
    public var failure: String? {
        guard failuresInARow >= Self.failureLimit, let since = firstFailureAt else { return nil }
        let destinations = failingDestinations.count == 1 ? "1 destination" : "\(failingDestinations.count) destinations"
        return "every page attempt since \(UTCTime.string(since)) failed (\(failuresInARow) attempts to \(destinations); the last: \(lastError ?? "no answer"))"
    }
}
