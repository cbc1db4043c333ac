import Foundation

/// Each page an incident sent and where its delivery stands, read from the timeline: the
/// outbox's own rows are the engine's working state, the timeline is what people see.
public struct PageTrail: Sendable, Hashable {
    /// Where one page's delivery stands.
    public enum State: String, Sendable, Hashable {
        case queued, delivered, retrying, failed, cancelled
        /// Never sent: a drill's script keeps the person silent.
        case withheld
    }

    /// One page: to whom, by which channel, why, and how its attempts went.
    public struct Page: Sendable, Hashable {
        public var idempotencyKey: String
        public var person: String
        public var channel: String
        /// What the page was for: an escalation step, or a notice's subject.
        public var purpose: String
        /// The escalation step it was sent for; nil for a notice.
        public var step: Int?
        public var queuedAt: Date
        public var state: State = .queued
        public var attempts = 0
        public var lastError: String?
        /// The bundle it went out in, when the person was flooded.
        public var bundle: String?
        public var changedAt: Date
    }

    public private(set) var pages: [Page] = []

    public init(_ events: [TimelineEvent]) {
        var index: [String: Int] = [:]
        for event in events {
            guard let key = event.detail["idempotency_key"] else { continue }
            if event.kind == .pageQueued {
                index[key] = pages.count
                let purpose = event.detail["purpose"] ?? event.detail["step"].flatMap { Int($0) }.map { "escalation level \($0 + 1)" } ?? "page"
                pages.append(Page(idempotencyKey: key, person: event.detail["person"] ?? "?", channel: event.detail["channel"] ?? "?",
                                  purpose: purpose, step: event.detail["purpose"] == nil ? event.detail["step"].flatMap { Int($0) } : nil,
                                  queuedAt: event.at, changedAt: event.at))
                continue
            }
            if event.kind == .pageWithheld {
                pages.append(Page(idempotencyKey: key, person: event.detail["person"] ?? "?", channel: event.detail["channel"] ?? "?",
                                  purpose: event.detail["purpose"] ?? event.detail["step"].flatMap { Int($0) }.map { "escalation level \($0 + 1)" } ?? "page",
                                  step: event.detail["purpose"] == nil ? event.detail["step"].flatMap { Int($0) } : nil, queuedAt: event.at,
                                  state: .withheld, lastError: event.detail["reason"], changedAt: event.at))
                continue
            }
            guard let position = index[key] else { continue }
            var page = pages[position]
            page.changedAt = event.at
            switch event.kind {
            case .pageSent:
                page.state = .delivered
                page.attempts = Int(event.detail["attempt"] ?? "") ?? page.attempts + 1
            case .pageFailed:
                page.attempts = Int(event.detail["attempt"] ?? "") ?? page.attempts + 1
                page.lastError = event.detail["error"] ?? event.detail["status"].map { "HTTP \($0)" }
                page.state = event.detail["final"] == "true" ? .failed : .retrying
            case .pageCancelled:
                if page.state != .delivered { page.state = .cancelled }
            case .pageBundled:
                page.bundle = event.detail["bundle"]
            default:
                break
            }
            pages[position] = page
        }
    }

    /// Who the escalation is paging now: the people of its latest step, those pages still on
    /// their way or delivered. Nobody once the incident is acknowledged or closed.
    public func beingPaged(_ incident: Incident) -> [String] {
        let escalation = pages.filter { $0.step != nil }
        guard incident.acknowledgedAt == nil, incident.stage != .closed, let latest = escalation.last else { return [] }
        let batch = escalation.reversed().prefix { $0.step == latest.step }.reversed()
        let people = batch.filter { ![.cancelled, .failed, .withheld].contains($0.state) }.map(\.person)
        return people.reduce(into: []) { unique, person in if !unique.contains(person) { unique.append(person) } }
    }

    /// The kinds of event a trail is read from: those that only tell of a page's delivery.
    public static let kinds: Set<TimelineEventKind> = [.pageQueued, .pageSent, .pageFailed, .pageCancelled, .pageBundled, .pageWithheld]

    /// Whether an event only tells of a page's delivery, so a view may fold it away.
    public static func isDeliveryDetail(_ kind: TimelineEventKind) -> Bool {
        kinds.contains(kind)
    }
}
