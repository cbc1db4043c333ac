import Foundation
import Testing
import TocsinCore
import TocsinStore

/// A long incident on the console: the page shows the latest window of its timeline and links
/// to the entries before it, which a person without JavaScript follows page by page; the page
/// trail still covers every page however far back it went out.
@Suite struct ConsoleTimelineWindowTests {
    /// Incident 1, its first page delivered, then notes until its timeline holds `length` events.
    func longIncident(_ daemon: TestDaemon, length: Int) async throws {
        #expect(await daemon.postAlert(ConsoleListTests.alert("card-auth", "Card auth failing", at: daemon.clock.now())).status == 202)
        await daemon.runDue()
        var count = try daemon.engine.store.timeline(1).count
        while count < length {
            _ = try await daemon.engine.perform(.note("Checked the card channel, entry \(count + 1)"), on: 1, by: "chen.wei")
            count += 1
        }
    }

    static func href(of label: String, in page: String) -> String? {
        guard let end = page.range(of: "\">\(label)</a>") else { return nil }
        let before = page[..<end.lowerBound]
        guard let start = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[start.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test(arguments: StoreBackend.all) func theStoreReadsAWindowOfTheTimelineItsPageEventsAndItsAlertsAlone(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await longIncident(daemon, length: 60)
        let store = daemon.engine.store
        let whole = try store.timeline(1)
        #expect(whole.count == 60)

        #expect(try store.timeline(1, before: nil, limit: 25).map(\.hash) == whole.suffix(25).map(\.hash), "the latest window, in order")
        #expect(try store.timeline(1, before: 31, limit: 10).map(\.sequence) == Array(21...30))
        #expect(try store.timeline(1, before: 6, limit: 10).map(\.sequence) == Array(1...5), "a window at the start holds what there is")
        #expect(try store.timeline(1, before: 1, limit: 10).isEmpty)
        #expect(try store.timeline(1, before: 1000, limit: 500).map(\.hash) == whole.map(\.hash))

        let pageEvents = try store.timeline(1, kinds: PageTrail.kinds)
        #expect(!pageEvents.isEmpty)
        #expect(pageEvents.map(\.hash) == whole.filter { PageTrail.kinds.contains($0.kind) }.map(\.hash))
        #expect(PageTrail(pageEvents) == PageTrail(whole), "the page trail read from its own events is the whole timeline's")
        #expect(try store.timeline(1, kinds: [.noteAdded]).count == whole.filter { $0.kind == .noteAdded }.count)
        #expect(try store.timeline(1, kinds: []).isEmpty)

        for read in [{ try store.timeline(7, before: nil, limit: 10) }, { try store.timeline(7, kinds: PageTrail.kinds) }] {
            #expect(throws: StoreError.self) { try read() }
        }

        #expect(await daemon.postAlert(ConsoleListTests.alert("wallet", "Wallet top-ups failing", at: daemon.clock.now())).status == 202)
        #expect(try store.alerts(ofIncident: 1, limit: 10).map(\.report.dedupKey) == ["card-auth"])
        #expect(try store.alerts(ofIncident: 2, limit: 10).map(\.report.dedupKey) == ["wallet"])
        #expect(try store.alerts(ofIncident: 7, limit: 10).isEmpty)
    }

    @Test func theLatestWindowLinksToOlderEntriesThatAPersonWithoutJavaScriptFollows() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let window = 200
        try await longIncident(daemon, length: window + 70)
        let last = window + 70
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let before = try databaseSnapshot(daemon.databasePath)

        let latest = await visitor.get("/incidents/1")
        #expect(latest.status == 200)
        let page = latest.text
        #expect(page.contains("id=\"timeline\" data-last=\"\(last)\""), "the latest window follows the record live from its last event")
        #expect(page.contains("Checked the card channel, entry \(last)"))
        #expect(page.contains("id=\"event-\(last - window + 1)\""))
        #expect(!page.contains("id=\"event-\(last - window)\""), "only the latest \(window) entries are on the page")
        #expect(!page.contains("Newer entries"))
        #expect(page.contains("<tr><td>chen.wei</td><td>webhook</td><td>escalation level 1</td>\n<td><span class=\"delivery delivered\">delivered</span> after 1 attempt</td>"),
                "the pages table covers the page sent before the window")
        let older = try #require(Self.href(of: "Older entries", in: page))
        #expect(older == "/incidents/1?before=\(last - window + 1)#timeline-heading")

        let olderPage = await visitor.get(String(older.prefix { $0 != "#" }))
        #expect(olderPage.status == 200)
        let olderText = olderPage.text
        #expect(olderText.contains("id=\"event-1\""), "the first entry, the incident opening")
        #expect(olderText.contains("id=\"event-\(last - window)\""))
        #expect(!olderText.contains("id=\"event-\(last - window + 1)\""), "what the latest window showed is not repeated")
        #expect(olderText.contains("<summary>"), "the first page's deliveries are folded here too")
        #expect(!olderText.contains("Older entries"), "nothing is older than the first entry")
        #expect(!olderText.contains("data-last="), "an older window does not follow the record live")
        #expect(Self.href(of: "Latest entries", in: olderText) == "/incidents/1#timeline-heading")
        let newer = try #require(Self.href(of: "Newer entries", in: olderText))
        let newerPage = await visitor.get(String(newer.prefix { $0 != "#" })).text
        #expect(newerPage.contains("id=\"event-\(last - window + 1)\"") && newerPage.contains("id=\"event-\(last)\""))

        let fragment = await visitor.get("/incidents/1/timeline?before=\(last - window + 1)")
        #expect(fragment.status == 200)
        #expect(fragment.headers["content-type"] == "text/html; charset=utf-8")
        #expect(fragment.text.hasPrefix("<ol class=\"timeline\">") && fragment.text.contains("id=\"event-1\"") && !fragment.text.contains("<html"))
        let middle = await visitor.get("/incidents/1/timeline?before=\(last)").text
        #expect(middle.hasPrefix("<p class=\"timeline-more\" id=\"timeline-older\"><a href=\"/incidents/1?before=\(last - window)#timeline-heading\""),
                "a window that does not reach the first entry links to the one before it")

        #expect(await ConsoleVisitor(daemon).get("/incidents/1/timeline?before=3").status == 401)
        for bad in ["abc", "0", "-4"] {
            let answer = await visitor.get("/incidents/1/timeline?before=\(bad)")
            #expect(answer.status == 400 && answer.headers["content-type"] == "application/problem+json", "before=\(bad)")
            #expect(await visitor.get("/incidents/1?before=\(bad)").status == 400)
        }
        let unknown = await visitor.get("/incidents/9/timeline?before=3")
        #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/problem+json")
        #expect(try databaseSnapshot(daemon.databasePath) == before, "reading the timeline changed nothing")
    }
}
