import Foundation

/// How long the database keeps what is finished. A closed incident whose closing is older
/// than `archiveAfter`, and a resolved alert of no incident that ended before then, is written
/// to a file in `directory` and, once that file reads back intact, removed from the database,
/// so the record stops growing under a steady load.
public struct Retention: Sendable, Hashable {
    public var archiveAfter: Duration
    /// How often `tocsind` looks for what to archive.
    public var every: Duration
    /// Where the archive files go: `incident-ID.json` and `alerts-FIRST-LAST.json`.
    public var directory: String

    public init(archiveAfter: Duration, every: Duration = .seconds(3600), directory: String) {
        self.archiveAfter = archiveAfter
        self.every = every
        self.directory = directory
    }

    /// What closed or resolved before this moment is archived at `now`.
    public func cutoff(at now: Date) -> Date {
        now.addingTimeInterval(-archiveAfter.seconds)
    }

    public static func incidentFile(_ id: Int64) -> String { "incident-\(id).json" }

    public static func alertsFile(_ alerts: [AlertRecord]) -> String {
        "alerts-\(alerts.first?.id ?? 0)-\(alerts.last?.id ?? 0).json"
    }
}
