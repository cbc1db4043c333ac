import Foundation

/// The timeline as a reviewer reads it: what people and the procedure did, each followed by the
/// page-delivery events that came after it folded under it, so the acts stand out from the
/// hundreds of `page_queued` and `page_sent` lines a short incident records. The JSON and CSV
/// exports keep every event as it is.
struct FoldedTimeline {
    struct Entry {
        var event: ExportedEvent
        /// Delivery events recorded after `event` and before the next act.
        var deliveries: [ExportedEvent]

        /// "3 page events: 2 page_queued, 1 page_sent", or nil when there are none.
        var summary: String? {
            guard !deliveries.isEmpty else { return nil }
            var counts: [TimelineEventKind: Int] = [:]
            for delivery in deliveries { counts[delivery.kind, default: 0] += 1 }
            let kinds = counts.keys.sorted { $0.rawValue < $1.rawValue }.map { "\(counts[$0]!) \($0.rawValue)" }
            return "\(deliveries.count) page event\(deliveries.count == 1 ? "" : "s"): " + kinds.joined(separator: ", ")
        }
    }

    var entries: [Entry] = []

    init(_ events: [ExportedEvent]) {
        for event in events {
            if PageTrail.isDeliveryDetail(event.kind), !entries.isEmpty {
                entries[entries.count - 1].deliveries.append(event)
            } else {
                entries.append(Entry(event: event, deliveries: []))
            }
        }
    }

    /// Who a delivery event is about, as `person/channel`, and its outcome, for one folded line.
    static func line(_ delivery: ExportedEvent) -> String {
        let about = [delivery.detail["person"], delivery.detail["channel"]].compactMap { $0 }.joined(separator: "/")
        let answer = delivery.detail["status"] ?? delivery.detail["error"] ?? delivery.detail["reason"]
        return [UTCTime.string(delivery.at), delivery.kind.rawValue, about.isEmpty ? delivery.detail["idempotency_key"] : about, answer]
            .compactMap { $0 }.joined(separator: " ")
    }
}
