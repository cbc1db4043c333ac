import Foundation
import TocsinCore

/// The incident's record in order. Runs of page-delivery events are folded into one line
/// that opens on demand, so that what people did stands out.
struct TimelineView {
    var events: [TimelineEvent]
    /// People in Contacts/, whose acts are marked as such.
    var people: Set<String>

    var html: HTML {
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
        return """
            <section aria-labelledby="timeline-heading"><h2 id="timeline-heading">Timeline</h2>
            <ol class="timeline" id="timeline" data-last="\(events.last?.sequence ?? 0)">\(items)</ol></section>
            """
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
