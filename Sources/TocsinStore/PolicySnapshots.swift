import Foundation
import Synchronization
import TocsinCore

/// Escalation-policy snapshots, decoded by their stored JSON and encoded by their value.
///
/// Every incident carries a copy of its policy, but thousands of incidents share a handful of
/// distinct policies; decoding the same JSON at every escalation step would be most of a
/// step's work, and encoding it again for every new incident most of opening one. The caches
/// are keyed by the exact text and the whole value, so an edited policy is a new entry.
enum PolicySnapshots {
    private static let cache = Mutex<[String: EscalationPolicy]>([:])
    private static let texts = Mutex<[EscalationPolicy: String]>([:])
    private static let capacity = 256

    static func json(_ policy: EscalationPolicy) throws -> String {
        if let known = texts.withLock({ $0[policy] }) { return known }
        let json = try JSONText.encode(policy)
        texts.withLock { texts in
            if texts.count >= capacity { texts.removeAll(keepingCapacity: true) }
            texts[policy] = json
        }
        return json
    }

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
