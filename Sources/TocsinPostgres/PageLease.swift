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
}
