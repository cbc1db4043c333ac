import Foundation
import GRDB
import TocsinCore

extension SQLiteIncidentStore {
    /// Opens an incident for a made-up alert, reads its first page back as the sender would,
    /// and rolls it all back: the store is left as it was, and no page leaves.
    ///
    /// The first incident after a start otherwise pays for compiling each statement of the
    /// opening, and for Swift's and Foundation's first use of what it touches: its commit took
    /// about 4 ms rather than 0.4. `tocsind` runs this before it serves, so the first alert
    /// after a restart, often one of an incident already under way, pages about as fast as any.
    ///
    /// Returns how many first pages the rehearsal queued (and dropped).
    @discardableResult
    public func warmUp(rules: ResponseRules, now: Date) -> Int {
        var everythingOpens = rules
        everythingOpens.severity.majorThreshold = .sev4
        let report = AlertReport(source: "tocsin", dedupKey: "tocsin-warm-up-\(UUID().uuidString)", summary: "Warm-up",
                                 service: "tocsin-warm-up", startsAt: now)
        // The rehearsal opens at one severity, but an incident of any other stores its own
        // policy's text, written once and then remembered: written here for every policy.
        for policy in rules.escalation.named.map(\.policy) { _ = try? Snapshots.policies.text(of: policy) }
        var rehearsed = 0
        _ = try? unflushedWrite { db in
            var outcome = IngestOutcome()
            // Read as every alert's commit reads them, but left out: one could hold the rehearsal.
            _ = try Self.activeSilences(at: now, in: db)
            try Self.ingest(PreparedAlert(report), rules: everythingOpens, now: now, silences: [], outcome: &outcome, openAlerts: openAlerts, in: db)
            rehearsed = try Self.duePageRows(now: now, limit: 64, excluding: [], in: db)
                .filter { outcome.openedIncidents.contains($0["incident_id"]) }.count
            throw WarmUpRollback()
        }
        return rehearsed
    }
}

/// Ends the warm-up's transaction with a rollback.
private struct WarmUpRollback: Error {}
