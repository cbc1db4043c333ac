import Foundation
import Logging
import TocsinCore
import TocsinStore

/// One pass of retention: each closed incident due is exported as JSON (the export recorded
/// on its own timeline, as every export is), written to the archive directory and synced,
/// read back and checked (its hash chain intact and ending where the database's does), and
/// only then removed, leaving its anchor. Resolved alerts of no incident go the same way, a
/// batch to a file. A file that does not check out stops the pass with nothing removed.
struct RetentionPass {
    let store: any IncidentStore
    let rules: ResponseRules
    let retention: Retention
    let now: Date
    let logger: Logger

    static let batch = 100

    func run() throws -> ArchiveSummary {
        let directory = URL(fileURLWithPath: retention.directory, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var summary = ArchiveSummary()
        let cutoff = retention.cutoff(at: now)
        var seen: Set<Int64> = []
        while true {
            let due = try store.archivableIncidents(closedBefore: cutoff, limit: Self.batch).filter { !seen.contains($0.id) }
            if due.isEmpty { break }
            for (id, closedAt) in due {
                seen.insert(id)
                try archiveIncident(id, closedAt: closedAt, in: directory, summary: &summary)
            }
        }
        while true {
            let alerts = try store.archivableAlerts(resolvedBefore: cutoff, limit: 1000)
            if alerts.isEmpty { break }
            let name = Retention.alertsFile(alerts)
            let archive = AlertArchive(archivedAt: now, alerts: alerts)
            try ArchiveFile.write(try TocsinJSON.encoder.encode(archive), named: name, in: directory)
            let back = try TocsinJSON.decoder.decode(AlertArchive.self, from: try ArchiveFile.read(name, in: directory))
            guard back == archive else { throw ArchiveError(file: name, problem: "it does not read back as the alerts written") }
            summary.alerts += try store.removeArchivedAlerts(alerts.map(\.id))
            summary.files.append(name)
        }
        if !summary.files.isEmpty {
            logger.info("archived \(summary.incidents.count) incidents and \(summary.alerts) alerts to \(retention.directory)")
        }
        return summary
    }

    private func archiveIncident(_ id: Int64, closedAt: Date, in directory: URL, summary: inout ArchiveSummary) throws {
        let (incident, record, events) = try store.recordExport(of: id, by: "tocsin", format: "archive", now: now)
        let runbook = incident.runbookID.flatMap { runbookID in rules.runbooks.first { $0.id == runbookID } }
        let export = IncidentExport(incident: incident, record: record, events: events, runbook: runbook, roster: rules.roster,
                                    viewer: TimeZone(identifier: "UTC")!, exportedBy: "tocsin", exportedAt: now)
        let anchor = ArchivedIncident(export, closedAt: closedAt, archivedAt: now)
        try ArchiveFile.write(try export.rendered(as: .json), named: anchor.file, in: directory)
        let back = try TocsinJSON.decoder.decode(IncidentExport.self, from: try ArchiveFile.read(anchor.file, in: directory))
        if let problem = anchor.problem(with: back) {
            throw ArchiveError(file: anchor.file, problem: problem)
        }
        if try store.removeArchived(anchor) {
            summary.incidents.append(id)
            summary.files.append(anchor.file)
        } else {
            // Something was recorded on it since the export: the next pass archives it again, whole.
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(anchor.file))
            summary.skipped.append("incident \(id): changed while being archived")
        }
    }
}

/// An archive file that did not read back as written: nothing was removed.
public struct ArchiveError: Error, CustomStringConvertible {
    public var file: String
    public var problem: String

    public var description: String { "the archive file \(file) does not check out: \(problem); nothing was removed" }
}
