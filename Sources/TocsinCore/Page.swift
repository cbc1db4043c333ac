import Foundation

/// What a page tells a person; rendered per contact flavour into what the receiver gets.
public struct PageMessage: Sendable, Hashable, Codable {
    public var incidentID: Int64
    public var severity: Severity
    public var summary: String
    public var service: String
    public var stage: Stage
    /// The escalation step that sent this page, from 0.
    public var step: Int
    public var person: String
    public var runbook: RunbookReference?
    /// A signed link that acknowledges the incident as `person`.
    public var acknowledgeURL: String
    /// The level the incident has reached, from 1 (the step, counted from 1).
    public var level: Int
    /// Why this message was sent: a page, or a notice such as an acknowledgement timing out.
    public var reason: PageReason
    /// True for a drill's page, whose summary and text open with DRILL; absent otherwise.
    public var drill: Bool?

    public init(incidentID: Int64, severity: Severity, summary: String, service: String, stage: Stage, step: Int, person: String,
                runbook: RunbookReference?, acknowledgeURL: String, reason: PageReason = .escalation, drill: Bool = false) {
        self.incidentID = incidentID
        self.severity = severity
        self.summary = summary
        self.service = service
        self.stage = stage
        self.step = step
        self.person = person
        self.runbook = runbook
        self.acknowledgeURL = acknowledgeURL
        self.level = step + 1
        self.reason = reason
        self.drill = drill ? true : nil
        if drill { self.summary = DrillMark.marked(summary, drill: true) }
    }

    private enum CodingKeys: String, CodingKey {
        case incidentID = "incident_id", severity, summary, service, stage, step, person, runbook, level, reason, drill
        case acknowledgeURL = "acknowledge_url"
    }

    /// The message as one line of text, for chat and SMS.
    public var text: String {
        let drill = self.drill == true
        let head = (drill ? "\(DrillMark.word) " : "") + "[\(severity)] Incident \(incidentID): \(drill ? DrillMark.unmarked(summary) : summary) (\(service))"
        switch reason {
        case .escalation:
            return "\(head). Level \(level). Acknowledge: \(acknowledgeURL)"
        case .acknowledgementTimedOut:
            return "\(head). Your acknowledgement timed out and the incident is not resolved: paging again from the start. Acknowledge again: \(acknowledgeURL)"
        }
    }
}

/// Why a message went out.
public enum PageReason: String, Sendable, Hashable, Codable {
    /// An escalation step paged the person.
    case escalation
    /// The person's acknowledgement timed out; the incident is being paged again.
    case acknowledgementTimedOut = "acknowledgement_timed_out"
}

/// Enough of a runbook for a paged person to find it.
public struct RunbookReference: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var preAuthorized: Bool

    public init(id: String, title: String, preAuthorized: Bool) {
        self.id = id
        self.title = title
        self.preAuthorized = preAuthorized
    }

    private enum CodingKeys: String, CodingKey { case id, title, preAuthorized = "pre_authorized" }
}

/// A page waiting in the outbox or delivered: one message to one person on one channel.
public struct OutboundPage: Sendable, Hashable {
    public var id: Int64
    public var incidentID: Int64
    /// Same across retries and restarts, so receivers can drop duplicates.
    public var idempotencyKey: String
    public var person: String
    public var channel: String
    public var url: String
    public var body: Data
    public var contentType: String
    /// Pages to external people go out only after the internal ones of the same moment.
    public var isExternal: Bool

    public init(id: Int64, incidentID: Int64, idempotencyKey: String, person: String, channel: String, url: String, body: Data,
                contentType: String = "application/json", isExternal: Bool = false) {
        self.isExternal = isExternal
        self.id = id
        self.incidentID = incidentID
        self.idempotencyKey = idempotencyKey
        self.person = person
        self.channel = channel
        self.url = url
        self.body = body
        self.contentType = contentType
    }

    /// One person's one contact method: what rate limits and signing secrets are kept per.
    public var destination: String { "\(person)/\(channel)" }
}
