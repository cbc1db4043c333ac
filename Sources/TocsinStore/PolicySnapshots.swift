import Foundation
import Synchronization
import TocsinCore

/// Decoded escalation-policy snapshots, by their stored JSON.
///
/// Every incident carries a copy of its policy, but thousands of incidents share a handful of
/// distinct policies; decoding the same JSON at every escalation step would be most of a
/// step's work. The cache is keyed by the exact text, so an edited policy is a new entry.
enum PolicySnapshots {
    private static let cache = Mutex<[String: EscalationPolicy]>([:])
    private static let capacity = 256

    static func policy(_ json: String) throws -> EscalationPolicy {
        if let known = cache.withLock({ $0[json] }) { return known }
        let policy = try JSONText.decoder.decode(EscalationPolicy.self, from: Data(json.utf8))
        cache.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[json] = policy
        }
        return policy
    }
}
