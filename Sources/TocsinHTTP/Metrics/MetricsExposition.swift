import Foundation
import Prometheus
import Synchronization
import TocsinCore
import TocsinEngine
import TocsinStore

/// One `tocsind`'s metrics in Prometheus's text format: what the engine counted as it worked,
/// and what the record holds now (the outbox, open incidents), read at each scrape so the
/// numbers are those of the database, whichever instance wrote it.
public final class MetricsExposition: Sendable {
    /// Gauges read from the record at scrape time.
    public enum Name {
        public static let pagesQueued = "tocsin_pages_queued"
        public static let outboxDepth = "tocsin_outbox_depth"
        public static let oldestPendingPageAge = "tocsin_outbox_oldest_page_age_seconds"
        public static let incidentsOpen = "tocsin_incidents_open"
        public static let recordReadable = "tocsin_record_readable"
    }

    private let registry = PrometheusCollectorRegistry()
    /// Channels seen waiting in the outbox, so a channel whose queue emptied reads 0 rather than vanishing.
    private let channelsSeen = Mutex<Set<String>>([])

    public init() {}

    /// What the engine records into, so that its counts appear at `/metrics`.
    public var recorder: ServiceMetrics {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            ServiceMetrics.Name.deliveryLatency: [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                                  .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)],
            ServiceMetrics.Name.timerLateness: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)],
            ServiceMetrics.Name.commitLatency: [.milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1)],
        ]
        return ServiceMetrics(factory: factory)
    }

    /// Reads the record's gauges from `store` and writes every metric in the text format.
    public func scrape(_ store: any IncidentStore, now: Date) -> [UInt8] {
        do {
            set(try store.storedGauges(), now: now)
            registry.makeGauge(name: Name.recordReadable, help: "1 when the last scrape could read the record, 0 when it could not.").set(to: 1.0)
        } catch {
            registry.makeGauge(name: Name.recordReadable, help: "1 when the last scrape could read the record, 0 when it could not.").set(to: 0.0)
        }
        return registry.emitToBuffer()
    }

    private func set(_ gauges: StoredGauges, now: Date) {
        let channels = channelsSeen.withLock { seen in
            seen.formUnion(gauges.pendingPages.keys)
            return seen
        }
        for channel in channels {
            registry.makeGauge(name: Name.pagesQueued, labels: [("channel", channel)],
                               help: "Pages waiting in the outbox to be sent or retried, by channel.")
                .set(to: Double(gauges.pendingPages[channel] ?? 0))
        }
        registry.makeGauge(name: Name.outboxDepth, help: "Pages waiting in the outbox to be sent or retried.").set(to: Double(gauges.outboxDepth))
        registry.makeGauge(name: Name.oldestPendingPageAge, help: "Seconds since the oldest page still waiting in the outbox was queued; 0 when none waits.")
            .set(to: gauges.oldestPendingPage.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        for stage in Stage.allCases where stage != .closed {
            for severity in Severity.allCases {
                registry.makeGauge(name: Name.incidentsOpen, labels: [("stage", stage.rawValue), ("severity", severity.description)],
                                   help: "Incidents not yet closed, by stage and severity.")
                    .set(to: Double(gauges.openIncidents(at: stage, severity: severity)))
            }
        }
    }
}
