import Foundation
import Synchronization
import TocsinCore

/// Values stored as JSON that many rows share, remembered both ways: by their text and by
/// their value.
///
/// Every incident carries a copy of its escalation policy and starts with a procedure record
/// naming who was on call; thousands of incidents share a handful of each. Decoding the same
/// policy at every escalation step would be most of a step's work, and encoding the same
/// record and policy again for every new incident most of opening one. Entries are keyed by
/// the exact text and the whole value, so an edited policy or a new shift is a new entry.
package final class JSONSnapshots<Value: Codable & Hashable & Sendable>: Sendable {
    private let values = Mutex<[String: Value]>([:])
    private let texts = Mutex<[Value: String]>([:])
    private let capacity = 256

    package func text(of value: Value) throws -> String {
        if let known = texts.withLock({ $0[value] }) { return known }
        let text = try JSONText.encode(value)
        texts.withLock { Self.remember(value, as: text, in: &$0, capacity: capacity) }
        return text
    }

    package func value(of text: String) throws -> Value {
        if let known = values.withLock({ $0[text] }) { return known }
        let value = try JSONText.decoder.decode(Value.self, from: Data(text.utf8))
        values.withLock { Self.remember(text, as: value, in: &$0, capacity: capacity) }
        return value
    }

    private static func remember<Key, Entry>(_ key: Key, as entry: Entry, in cache: inout [Key: Entry], capacity: Int) {
        if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
        cache[key] = entry
    }
}

/// The snapshots Tocsin keeps.
package enum Snapshots {
    /// Escalation policies, as every incident stores its own.
    package static let policies = JSONSnapshots<EscalationPolicy>()
    /// The procedure record an incident opens with: nothing done yet, the roles on call.
    package static let openingRecords = JSONSnapshots<ProcedureRecord>()
}
