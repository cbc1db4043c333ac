import Synchronization

/// The last event of each incident's timeline as this instance's own commits left it, so that
/// recording a page's delivery need not lock the incident and read its chain's end first
/// (`FreshDelivery`). The statement that relies on one checks it; another instance's write
/// since makes that check fail, and the record takes the usual way.
final class RememberedChainEnds: Sendable {
    typealias End = (sequence: Int, hash: String)

    private let ends = Mutex<[Int64: End]>([:])
    /// Far more incidents than are open at once; past it, everything is forgotten and
    /// learnt again from the next commits.
    static let limit = 4096

    /// Notes where a committed transaction left the chains it appended to or read under lock.
    func remember(_ committed: [Int64: End]) {
        guard !committed.isEmpty else { return }
        ends.withLock { ends in
            if ends.count + committed.count > Self.limit { ends.removeAll() }
            ends.merge(committed) { _, new in new }
        }
    }

    /// The remembered ends of `incidents`; nil unless every one is remembered.
    func ends(of incidents: [Int64]) -> [Int64: End]? {
        ends.withLock { ends in
            var found: [Int64: End] = [:]
            for incident in incidents {
                guard let end = ends[incident] else { return nil }
                found[incident] = end
            }
            return found
        }
    }

    func forget(_ incidents: [Int64]) {
        ends.withLock { ends in incidents.forEach { ends.removeValue(forKey: $0) } }
    }
}
