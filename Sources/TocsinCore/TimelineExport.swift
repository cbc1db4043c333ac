import Foundation

/// An incident and its whole timeline, as handed to reviewers and auditors.
public struct TimelineExport: Sendable, Codable {
    public var incident: Incident
    public var events: [TimelineEvent]

    public init(incident: Incident, events: [TimelineEvent]) {
        self.incident = incident
        self.events = events
    }

    /// Formats reviewers can ask for.
    public enum Format: String, Sendable, CaseIterable {
        case json
        case markdown
    }

    public func rendered(as format: Format) -> Data {
        switch format {
        case .json: (try? Self.jsonEncoder.encode(self)) ?? Data()
        case .markdown: Data(markdown.utf8)
        }
    }

    /// Encoder shared by the API and exports: ISO 8601 UTC times with milliseconds, sorted keys.
    public static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTime.string(date))
        }
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let jsonDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTime.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 time such as 2026-11-21T10:00:00Z, got \"\(text)\"")
            }
            return date
        }
        return decoder
    }()

    var markdown: String {
        var lines = [
            "# Incident \(incident.id): \(incident.title)",
            "",
            "| | |",
            "|---|---|",
            "| Service | \(incident.service) |",
            "| Severity | \(incident.severity) |",
            "| Stage | \(incident.stage.rawValue) |",
            "| Opened | \(UTCTime.string(incident.openedAt)) |",
            "| Acknowledged | \(incident.acknowledgedAt.map { "\(UTCTime.string($0)) by \(incident.acknowledgedBy ?? "?")" } ?? "not yet") |",
            "| Runbook | \(incident.runbookID ?? "none") |",
            "",
            "## Timeline (UTC)",
            "",
            "| # | Time | Event | Actor | Detail |",
            "|---|---|---|---|---|",
        ]
        for event in events {
            let detail = event.detail.keys.sorted().map { "\($0): \(event.detail[$0]!)" }.joined(separator: "; ")
            lines.append("| \(event.sequence) | \(UTCTime.string(event.at)) | \(event.kind.rawValue) | \(event.actor) | \(detail.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        lines.append("")
        lines.append("Last event hash: `\(events.last?.hash ?? TimelineEvent.genesisHash)`")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Tocsin's one way of writing and reading times: ISO 8601 in UTC.
public enum UTCTime {
    /// `2026-11-21T10:00:00.123Z`, exact to the millisecond (rounded, never truncated, so
    /// a time written and read back is the time that was hashed).
    public static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = (millis >= 0 ? millis / 1000 : (millis - 999) / 1000, ((millis % 1000) + 1000) % 1000)
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        return whole.dropLast() + String(format: ".%03dZ", fraction)
    }

    /// Accepts times with or without fractional seconds, with `Z` or an offset.
    public static func date(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
