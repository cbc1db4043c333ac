import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `GET /incidents/{id}/live`: the incident's new timeline events as Server-Sent Events, each
/// the same escaped entry the page renders, so an open war room follows the record without
/// a reload. When the store commits, the stream reads the events after the last it sent.
/// Page-delivery events come as `delivery` messages, for the page to fold them as it folds
/// them on the server. The stream ends after a while and the browser reconnects from the last
/// event it had (`Last-Event-ID`), so no event is missed across reconnections. A stopping
/// `tocsind` ends every stream at once rather than wait for it.
struct LiveTimeline: Sendable {
    let engine: Engine
    /// The shortest time between two reads of the record, however often it changes.
    var gap: Duration = .milliseconds(100)
    /// How long one stream lasts before the browser reconnects.
    var streamLifetime: Duration = .seconds(300)

    func response(incident id: Int64, after: Int) -> Response {
        let people = Set(engine.rules.roster.people.keys)
        return EventStream.response(from: after, following: engine.store.changes, gap: gap, for: streamLifetime) { [engine] last in
            try engine.store.timeline(id, after: last).map { event in
                last = event.sequence
                return EventStream.Message(id: "\(event.sequence)", event: PageTrail.isDeliveryDetail(event.kind) ? "delivery" : "event",
                                           data: TimelineView(incidentID: id, events: [], people: people).item(event).description.replacingOccurrences(of: "\n", with: " "))
            }
        }
    }
}
