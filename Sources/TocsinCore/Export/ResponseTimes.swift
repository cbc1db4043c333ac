import Foundation

/// How long the response took, from the incident's opening: the plan's indicators.
///
/// `acknowledge` is the first acknowledgement, even one that later ran out; `recover` is when service was declared restored; `reconcile` when the books agreed
/// (the last reconciliation leaving no discrepancy open, or leadership's signed exception);
/// `close` when the incident closed. Each is nil until it happened.
public struct ResponseTimes: Sendable, Codable, Hashable {
    public var acknowledge: TimeInterval?
    public var stopTrading: TimeInterval?
    public var recover: TimeInterval?
    public var reconcile: TimeInterval?
    public var close: TimeInterval?

    private enum CodingKeys: String, CodingKey {
        case acknowledge = "time_to_acknowledge_s", stopTrading = "time_to_stop_trading_s", recover = "time_to_recover_s"
        case reconcile = "time_to_reconcile_s", close = "time_to_close_s"
    }

    public init(incident: Incident, events: [TimelineEvent]) {
        let opened = incident.openedAt
        func since(_ match: (TimelineEvent) -> Bool) -> TimeInterval? {
            events.first(where: match).map { $0.at.timeIntervalSince(opened) }
        }
        acknowledge = since { $0.kind == .acknowledged }
        stopTrading = since { $0.kind == .tradeSwitchSucceeded && $0.detail["action"] == "stop" }
        recover = since { $0.kind == .serviceRestored }
        reconcile = events.last { event in
            (event.kind == .reconciliationRecorded && event.detail["discrepancies_open"] == "0") || event.kind == .exceptionSignedOff
        }.map { $0.at.timeIntervalSince(opened) }
        close = since { $0.kind == .stageChanged && $0.detail["to"] == Stage.closed.rawValue }
    }
}

/// How long the incident spent in one stage.
public struct StageSpan: Sendable, Codable, Hashable {
    public var stage: Stage
    public var enteredAt: Date
    public var leftAt: Date?
    /// Nil while the incident is still in the stage.
    public var duration: TimeInterval?

    private enum CodingKeys: String, CodingKey { case stage, enteredAt = "entered_at", leftAt = "left_at", duration = "duration_s" }

    static func spans(openedAt: Date, events: [TimelineEvent]) -> [StageSpan] {
        var spans = [StageSpan(stage: .reported, enteredAt: openedAt)]
        for event in events where event.kind == .stageChanged {
            guard let stage = event.detail["to"].flatMap(Stage.init(rawValue:)) else { continue }
            spans[spans.count - 1].leftAt = event.at
            spans[spans.count - 1].duration = event.at.timeIntervalSince(spans[spans.count - 1].enteredAt)
            spans.append(StageSpan(stage: stage, enteredAt: event.at))
        }
        return spans
    }

    init(stage: Stage, enteredAt: Date) {
        self.stage = stage
        self.enteredAt = enteredAt
    }
}

/// What became of one page or notice: every attempt, the last answer, the outcome.
public struct PageOutcome: Sendable, Codable, Hashable {
    public var idempotencyKey: String
    public var person: String
    public var channel: String
    /// `escalation step N`, or the notice's subject.
    public var purpose: String
    public var queuedAt: Date
    public var attempts: Int
    /// `sent`, `failed` (given up), `retrying`, `pending` or `cancelled`.
    public var outcome: String
    public var lastStatus: String?
    public var lastError: String?
    public var deliveredAt: Date?

    private enum CodingKeys: String, CodingKey {
        case idempotencyKey = "idempotency_key", person, channel, purpose, queuedAt = "queued_at", attempts, outcome
        case lastStatus = "last_status", lastError = "last_error", deliveredAt = "delivered_at"
    }

    static func list(from events: [TimelineEvent]) -> [PageOutcome] {
        var pages: [String: PageOutcome] = [:]
        var order: [String] = []
        for event in events {
            guard let key = event.detail["idempotency_key"] else { continue }
            switch event.kind {
            case .pageQueued:
                order.append(key)
                pages[key] = PageOutcome(idempotencyKey: key, person: event.detail["person"] ?? "?", channel: event.detail["channel"] ?? "?",
                                         purpose: event.detail["purpose"] ?? "escalation step \(event.detail["step"] ?? "?")",
                                         queuedAt: event.at, attempts: 0, outcome: "pending")
            case .pageSent:
                pages[key]?.attempts += 1
                pages[key]?.outcome = "sent"
                pages[key]?.lastStatus = event.detail["status"]
                pages[key]?.deliveredAt = event.at
            case .pageFailed:
                pages[key]?.attempts += 1
                pages[key]?.outcome = event.detail["final"] == "true" ? "failed" : "retrying"
                pages[key]?.lastStatus = event.detail["status"]
                pages[key]?.lastError = event.detail["error"]
            case .pageCancelled:
                pages[key]?.outcome = "cancelled"
            default:
                break
            }
        }
        return order.compactMap { pages[$0] }
    }
}

/// Updates on time against missed for one cadence.
public struct UpdateCompliance: Sendable, Codable, Hashable {
    public var kind: UpdateKind
    /// Posted before its due time.
    public var onTime: Int
    /// Posted after the due time had passed and been recorded as missed.
    public var late: Int
    public var missed: Int

    private enum CodingKeys: String, CodingKey { case kind, onTime = "on_time", late, missed }

    static func list(from events: [TimelineEvent]) -> [UpdateCompliance] {
        UpdateKind.allCases.map { kind in
            var compliance = UpdateCompliance(kind: kind, onTime: 0, late: 0, missed: 0)
            var outstanding = false
            for event in events where event.detail["kind"] == kind.rawValue {
                if event.kind == .updateMissed {
                    compliance.missed += 1
                    outstanding = true
                } else if event.kind == .updatePosted {
                    if outstanding { compliance.late += 1 } else { compliance.onTime += 1 }
                    outstanding = false
                }
            }
            return compliance
        }
    }
}
