import CoreMetrics
import Foundation
import TocsinCore
import TocsinStore

/// What `tocsind` counts as it works, for an operator's monitoring: alerts taken, incidents
/// opened, page attempts, and how long commits and deliveries take and how late timers fire.
///
/// Labels are bounded words Tocsin chose or the configuration declares (an endpoint's kind,
/// a severity, a channel), never a person, an address or text that came in with an alert.
/// Recorded through swift-metrics, so any backend can take them; `tocsind` exports them in
/// Prometheus's text format at `/metrics`.
public struct ServiceMetrics: Sendable {
    /// Metric names, shared with what reads them (`/metrics`, the rule file, the docs).
    public enum Name {
        public static let alertsReceived = "tocsin_alerts_received_total"
        public static let incidentsOpened = "tocsin_incidents_opened_total"
        public static let pageAttempts = "tocsin_page_attempts_total"
        public static let deliveryLatency = "tocsin_page_delivery_seconds"
        public static let timerLateness = "tocsin_timer_lateness_seconds"
        public static let commitLatency = "tocsin_alert_commit_seconds"
        public static let heartbeatsMissed = "tocsin_heartbeats_missed_total"
    }

    /// Where an alert can come from: Tocsin's own API, or an integration's wire format.
    static let sources = ["api"] + IntegrationKind.allCases.map(\.rawValue)
    static let outcomes = ["created", "deduplicated", "resolved", "ignored", "failed"]

    private let factory: any MetricsFactory
    // Made once, so every series reads 0 from the start and taking an alert looks nothing up
    // in the registry: [source: [outcome: counter]].
    private let alertsReceived: [String: [String: Counter]]
    private let incidentsOpened: [Severity: Counter]
    private let heartbeatsMissed: Counter
    private let commitLatency: CoreMetrics.Timer
    private let timerLateness: CoreMetrics.Timer

    /// Records into `factory`; the default records nothing.
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
        alertsReceived = Dictionary(uniqueKeysWithValues: Self.sources.map { source in
            (source, Dictionary(uniqueKeysWithValues: Self.outcomes.map { outcome in
                (outcome, Counter(label: Name.alertsReceived, dimensions: [("source", source), ("outcome", outcome)], factory: factory))
            }))
        })
        incidentsOpened = Dictionary(uniqueKeysWithValues: Severity.allCases.map { severity in
            (severity, Counter(label: Name.incidentsOpened, dimensions: [("severity", severity.description)], factory: factory))
        })
        heartbeatsMissed = Counter(label: Name.heartbeatsMissed, factory: factory)
        commitLatency = CoreMetrics.Timer(label: Name.commitLatency, factory: factory)
        timerLateness = CoreMetrics.Timer(label: Name.timerLateness, factory: factory)
    }

    /// A batch of alerts committed from `source` (`api`, or an integration's kind).
    func received(_ outcome: IngestOutcome, from source: String) {
        let counters = alertsReceived[source]
        for (result, count) in [("created", outcome.created), ("deduplicated", outcome.deduplicated),
                                ("resolved", outcome.resolved), ("ignored", outcome.ignored)] where count > 0 {
            counters?[result]?.increment(by: Int64(count))
        }
        outcome.openedSeverities.forEach(opened)
    }

    /// A batch of alerts from `source` that could not be recorded (the database refused it).
    func notRecorded(_ count: Int, from source: String) {
        alertsReceived[source]?["failed"]?.increment(by: Int64(count))
    }

    /// How long a batch of alerts waited until its transaction was durable.
    func committed(after duration: Duration) {
        commitLatency.recordElapsed(duration)
    }

    /// Timers that fired at `now`: how late each was, and what they opened or missed.
    func fired(_ timers: [FiredTimer], at now: Date) {
        for fired in timers {
            timerLateness.recordElapsed(.seconds(max(0, now.timeIntervalSince(fired.dueAt))))
            if let severity = fired.openedSeverity { opened(severity) }
            if fired.kind == TimerKind.heartbeatMissed.rawValue { heartbeatsMissed.increment() }
        }
    }

    /// Recorded attempts to send pages: where each page stands now, and how long its receiver took.
    func attempted(_ attempts: [(OutboundPage, DeliveryResult)], progress: [PageProgress?]) {
        for ((page, result), progress) in zip(attempts, progress) {
            timer(Name.deliveryLatency, ["channel": page.channel]).recordElapsed(result.latency)
            let outcome: String
            switch progress {
            case .sent: outcome = "sent"
            case .retry: outcome = "retrying"
            case .failed: outcome = "failed"
            case nil: continue
            }
            counter(Name.pageAttempts, ["channel": page.channel, "outcome": outcome]).increment()
        }
    }

    private func opened(_ severity: Severity) {
        incidentsOpened[severity]?.increment()
    }

    /// A channel's series, made when the channel is first used (the registry keeps it).
    private func counter(_ name: String, _ labels: KeyValuePairs<String, String>) -> Counter {
        Counter(label: name, dimensions: labels.map { ($0.key, $0.value) }, factory: factory)
    }

    private func timer(_ name: String, _ labels: KeyValuePairs<String, String>) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: name, dimensions: labels.map { ($0.key, $0.value) }, factory: factory)
    }
}

extension CoreMetrics.Timer {
    fileprivate func recordElapsed(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
