import Foundation

/// Resolved alerts that never opened an incident, as retention writes them to a file before
/// removing them (an incident's alerts go with its own export).
public struct AlertArchive: Sendable, Codable, Hashable {
    public static let schemaID = "tocsin-alert-archive/1"

    public var schema = AlertArchive.schemaID
    public var archivedAt: Date
    public var alerts: [AlertRecord]

    public init(archivedAt: Date, alerts: [AlertRecord]) {
        self.archivedAt = archivedAt
        self.alerts = alerts
    }

    private enum CodingKeys: String, CodingKey { case schema, archivedAt = "archived_at", alerts }
}

/// What one retention pass moved out of the database.
public struct ArchiveSummary: Sendable, Codable, Hashable {
    public var incidents: [Int64] = []
    public var alerts = 0
    /// The files written, by name, in the retention directory.
    public var files: [String] = []
    /// Incidents found due but left for the next pass, with why (something was recorded on one meanwhile).
    public var skipped: [String] = []

    public init() {}

    private enum CodingKeys: String, CodingKey { case incidents, alerts, files, skipped }
}
