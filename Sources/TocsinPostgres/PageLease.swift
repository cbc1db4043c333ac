import Foundation
import TocsinCore

/// Pages a transaction inserts already leased to this instance, as a claim would lease them:
/// the statement that queues them takes them too.
struct PageLease {
    /// The idempotency keys of the pages leased.
    var keys: Set<String>
    var instance: String
    /// When the lease lapses, and another instance may send them.
    var until: Date

    func covers(_ page: PageRequest) -> Bool {
        page.incidentID != PageRequest.noIncident && keys.contains(page.idempotencyKey)
    }

    /// What a claim sets on the pages it leases to `instance` until `leaseEnd`. Their next
    /// attempt moves to the lease's end, when another instance may take them up, so that the
    /// search for due pages, in the order of next attempts, does not walk past every page in
    /// flight.
    static func assignment(to instance: String, until leaseEnd: Int64) -> PostgresStatement {
        "claimed_by = \(instance), lease_until = \(leaseEnd), next_attempt_at = GREATEST(next_attempt_at, \(leaseEnd))"
    }
}
