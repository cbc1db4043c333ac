import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import TocsinCore
import TocsinEngine

/// `GET /incidents/{id}/live`: the incident's new timeline events as Server-Sent Events, each
/// the same escaped entry the page renders, so an open war room follows the record without
/// a reload. Page-delivery events come as `delivery` messages, for the page to fold them as
/// it folds them on the server. The stream ends after a while and the browser reconnects from the last event
/// it had (`Last-Event-ID`), so no event is missed across reconnections. A stopping `tocsind`
/// ends every stream at once rather than wait for it.
struct LiveTimeline: Sendable {
    let engine: Engine
    /// How often the record is read for new events.
    var interval: Duration = .milliseconds(250)
    /// How long one stream lasts before the browser reconnects.
    var streamLifetime: Duration = .seconds(300)

    func response(incident id: Int64, after: Int) -> Response {
        EventStream.response { [engine, interval, streamLifetime] writer in
            var last = after
            let people = Set(engine.rules.roster.people.keys)
            let deadline = ContinuousClock.now.advanced(by: streamLifetime)
            var quietSince = ContinuousClock.now
            while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
                let fresh = try engine.store.timeline(id).filter { $0.sequence > last }
                for event in fresh {
                    let html = TimelineView(events: [], people: people).item(event).description.replacingOccurrences(of: "\n", with: " ")
                    let name = PageTrail.isDeliveryDetail(event.kind) ? "delivery" : "event"
                    try await writer.write(ByteBuffer(string: "id: \(event.sequence)\nevent: \(name)\ndata: \(html)\n\n"))
                    last = event.sequence
                }
                // A comment now and then finds out whether the browser has gone.
                if !fresh.isEmpty {
                    quietSince = ContinuousClock.now
                } else if ContinuousClock.now - quietSince > .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": waiting\n\n"))
                    quietSince = ContinuousClock.now
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
