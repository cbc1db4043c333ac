import Foundation
import TocsinCore
import TocsinStore

/// A window of the incident's record in order: the latest events, or those before a given
/// one, with a link to the events before the window, so that a long timeline costs a page
/// no more than a short one. Runs of page-delivery events are folded into one line that
/// opens on demand, so that what people did stands out.
struct TimelineView {
    /// How many events a window holds.
    static let window = 200

    var incidentID: Int64
    /// The window's events, in order.
    var events: [TimelineEvent]
    /// Whether the record holds events before the window.
    var hasOlder: Bool
    /// Whether the window ends with the incident's latest event, so the page follows it live.
    var isLatest: Bool
    /// People in Contacts/, whose acts are marked as such.
    var people: Set<String>

    init(incidentID: Int64, events: [TimelineEvent], hasOlder: Bool = false, isLatest: Bool = true, people: Set<String>) {
        self.incidentID = incidentID
        self.events = events
        self.hasOlder = hasOlder
        self.isLatest = isLatest
        self.people = people
    }

    /// The window read from the store: the `window` events before the `before`-th (the latest
    /// when nil), and one more to learn whether there are older ones.
    init(incidentID: Int64, before: Int?, store: any IncidentStore, people: Set<String>) throws {
        var events = try store.timeline(incidentID, before: before, limit: Self.window + 1)
        let hasOlder = events.count > Self.window
        if hasOlder { events.removeFirst() }
        let isLatest = try before == nil || (events.last?.sequence ?? 0) >= (store.timeline(incidentID, before: nil, limit: 1).last?.sequence ?? 0)
        self.init(incidentID: incidentID, events: events, hasOlder: hasOlder, isLatest: isLatest, people: people)
    }

    var html: HTML {
        let newer: HTML = isLatest ? .empty : """
            <p class="timeline-more"><a href="\(address(before: (events.last?.sequence ?? 0) + Self.window + 1))">Newer entries</a>
            · <a href="/incidents/\(incidentID)#timeline-heading">Latest entries</a></p>
            """
        // Only the latest window follows the record live: new events belong after the latest.
        let live: HTML = isLatest ? " data-last=\"\(events.last?.sequence ?? 0)\"" : .empty
        return """
            <section aria-labelledby="timeline-heading"><h2 id="timeline-heading">Timeline</h2>\(olderLink)
            <ol class="timeline" id="timeline"\(live)>\(items)</ol>\(newer)</section>
            """
    }

    /// What the page fetches to show older entries in place: the older link that follows
    /// them (if any), then the entries.
    var fragment: HTML {
        "\(olderLink)<ol class=\"timeline\">\(items)</ol>"
    }

    /// The link to the window before this one; with JavaScript on, the page loads it in place.
    var olderLink: HTML {
        guard hasOlder, let first = events.first?.sequence else { return .empty }
        return """
            <p class="timeline-more" id="timeline-older"><a href="\(address(before: first))" data-fragment="/incidents/\(incidentID)/timeline?before=\(first)">Older entries</a></p>
            """
    }

    private func address(before sequence: Int) -> String {
        "/incidents/\(incidentID)?before=\(sequence)#timeline-heading"
    }

    var items: [HTML] {
        var items: [HTML] = []
        var run: [TimelineEvent] = []
        func flush() {
            guard !run.isEmpty else { return }
            let counts = Dictionary(grouping: run, by: \.kind).map { "\($0.value.count) \($0.key.rawValue.replacingOccurrences(of: "_", with: " "))" }.sorted()
            items.append("""
                <li class="deliveries"><details><summary>\(run.count) page delivery event\(run.count == 1 ? "" : "s"): \(counts.joined(separator: ", "))</summary>
                <ol>\(run.map(item))</ol></details></li>
                """)
            run = []
        }
        for event in events {
            if PageTrail.isDeliveryDetail(event.kind) {
                run.append(event)
            } else {
                flush()
                items.append(item(event))
            }
        }
        flush()
        return items
    }

    func item(_ event: TimelineEvent) -> HTML {
        let byPerson = people.contains(event.actor)
        let details = event.detail.keys.sorted().map { key -> HTML in
            "<dt>\(key.replacingOccurrences(of: "_", with: " "))</dt><dd>\(event.detail[key] ?? "")</dd>"
        }
        return """
            <li class="event\(byPerson ? " by-person" : "")" id="event-\(event.sequence)"><time datetime="\(UTCTime.string(event.at))">\(Moments.text(event.at))</time>
            <span class="what"><strong class="actor">\(event.actor)</strong> <span class="kind">\(event.kind.rawValue.replacingOccurrences(of: "_", with: " "))</span></span>
            \(details.isEmpty ? HTML.empty : "<dl>\(details)</dl>")</li>
            """
    }
}
