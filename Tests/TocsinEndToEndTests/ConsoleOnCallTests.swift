import Foundation
import Testing
import TocsinCore
import TocsinPager

/// The on-call page: the roles' holders now and over the next 14 days as the roster resolves
/// them (a rotation, an override, a stand-in, a gap), silences made and ended through the
/// silence API's own code, and heartbeats with their state.
@Suite struct ConsoleOnCallTests {
    static func instant(_ text: String) -> Date { UTCTime.date(text)! }

    /// The test clock starts at 2027-01-15T08:00:00Z. The commander's role goes round a daily
    /// rotation handed over at 09:00 UTC; sam.okafor takes priya.raman's shift of the 17th,
    /// zhang.lei stands in for chen.wei on the 20th, and business's backup rotation only
    /// starts on the 22nd.
    static func daemon() async throws -> TestDaemon {
        try await TestDaemon { rules, _ in
            let start = DateComponents(year: 2027, month: 1, day: 14)
            let analysts = Rotation(id: "analysts", shiftLength: .days(1), handoff: TimeOfDay(hour: 9), timeZone: .gmt, startDay: start,
                                    members: ["chen.wei", "priya.raman"],
                                    overrides: [Override(person: "sam.okafor", start: instant("2027-01-17T09:00:00Z"), end: instant("2027-01-18T09:00:00Z"))])
            let finance = Rotation(id: "finance", shiftLength: .weeks(1), handoff: TimeOfDay(hour: 9), timeZone: .gmt,
                                   startDay: DateComponents(year: 2027, month: 1, day: 22), members: ["wang.fang"])
            var roster = rules.roster
            roster.rotations = ["analysts": analysts, "finance": finance]
            roster.roles[.faultAnalyst] = RoleHolders(primary: .rotation("analysts"), backup: .person("priya.raman"))
            roster.roles[.business] = RoleHolders(primary: .person("maria.santos"), backup: .rotation("finance"))
            roster.standIns = [StandIn(person: "chen.wei", standIn: "zhang.lei", start: instant("2027-01-20T09:00:00Z"), end: instant("2027-01-21T09:00:00Z"))]
            rules.roster = roster
        }
    }

    @Test func theCalendarShowsRotationsOverridesStandInsAndGaps() async throws {
        let daemon = try await Self.daemon()
        defer { daemon.stop() }
        let visitor = ConsoleVisitor(daemon)
        #expect(await visitor.get("/on-call").headers["location"] == "/sign-in")
        await visitor.signIn("token-grace")
        let page = await visitor.get("/on-call")
        #expect(page.status == 200)
        let text = page.text
        #expect(text.contains("<tr><th scope=\"row\">fault_analyst</th><td>primary</td><td><strong>chen.wei</strong></td><td>rotation analysts</td></tr>"))
        #expect(text.contains("<tr><th scope=\"row\">business</th><td>backup</td><td class=\"gap\">nobody</td><td>rotation finance has not started</td></tr>"))

        let analysts = try #require(text.components(separatedBy: "<tr><th scope=\"row\">fault_analyst <span class=\"quiet\">primary</span></th>").dropFirst().first?
            .components(separatedBy: "</tr>").first)
        let days = analysts.components(separatedBy: "<td").dropFirst().map { String($0) }
        #expect(days.count == 14, "fourteen days from today")
        #expect(text.contains("<th scope=\"col\"><time datetime=\"2027-01-15\">Fri 15 Jan</time></th>"))
        #expect(days[0].contains("<li>chen.wei</li><li><span class=\"quiet\">09:00</span> priya.raman</li>"), "the 15th hands over at 09:00")
        #expect(days[2].contains("<span class=\"quiet\">09:00</span> sam.okafor <span class=\"via\">(override for priya.raman)</span>"))
        #expect(days[5].contains("<span class=\"quiet\">09:00</span> zhang.lei <span class=\"via\">(stand-in for chen.wei)</span>"))
        #expect(days[6].contains("<li>zhang.lei <span class=\"via\">(stand-in for chen.wei)</span></li><li><span class=\"quiet\">09:00</span> priya.raman</li>"))
        #expect(!analysts.contains("has-gap"))
        #expect(text.contains("<li><strong>business backup</strong>: 2027-01-15 00:00:00 UTC to 2027-01-22 09:00:00 UTC: rotation finance has not started</li>"))
        #expect(text.contains("<td class=\"has-gap\"><ul><li><span class=\"gap\" title=\"rotation finance has not started\">nobody</span></li></ul></td>"))
    }

    @Test func aSilenceIsMadeAndEndedFromTheConsoleByTheAPIsRules() async throws {
        let daemon = try await Self.daemon()
        defer { daemon.stop() }
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        _ = await visitor.get("/on-call")
        let before = try databaseSnapshot(daemon.databasePath)
        let forged = await visitor.post("/silences", ["matchers": "service=payments-core", "ends_at": "2027-01-15T10:00:00Z", "comment": "x"], csrf: "guessed")
        #expect(forged.status == 403)
        let badLine = await visitor.post("/silences", ["matchers": "service payments-core", "ends_at": "2027-01-15T10:00:00Z", "comment": "deploy"])
        #expect(badLine.status == 400)
        #expect(badLine.text.contains("Refused: &quot;service payments-core&quot; is not a matcher"))
        #expect(badLine.text.contains(">service payments-core</textarea>"), "what was typed is put back")
        let badRegex = await visitor.post("/silences", ["matchers": "alertname=~(", "ends_at": "2027-01-15T10:00:00Z", "comment": "deploy"])
        #expect(badRegex.status == 400 && badRegex.text.contains("is not a valid regular expression"), "the API's own check")
        let past = await visitor.post("/silences", ["matchers": "service=payments-core", "ends_at": "2027-01-15T07:00:00Z", "comment": "deploy"])
        #expect(past.status == 400)
        #expect(try databaseSnapshot(daemon.databasePath) == before, "refused forms change nothing")

        let made = await visitor.post("/silences", ["matchers": "service=payments-core\nalertname=~\"Disk.*\"", "ends_at": "2027-01-15T10:00:00Z",
                                                    "comment": "<b>deploy</b> window"])
        #expect(made.status == 303 && made.headers["location"] == "/on-call#silence-1")
        let silence = try #require(try daemon.engine.store.silences(includingExpired: false, now: daemon.clock.now()).first)
        #expect(silence.createdBy == "chen.wei" && silence.comment == "<b>deploy</b> window")
        #expect(silence.matchers == [SilenceMatcher(name: "service", value: "payments-core"), SilenceMatcher(name: "alertname", value: "Disk.*", isRegex: true)])
        let listed = await visitor.get("/on-call").text
        #expect(listed.contains("<code>alertname=~&quot;Disk.*&quot;</code>") && listed.contains("&lt;b&gt;deploy&lt;/b&gt; window"))
        #expect(listed.contains("<span class=\"silence active\">active</span>"))

        let alert = #"{"source":"prometheus","dedup_key":"disk","summary":"Disk full","service":"payments-core","labels":{"alertname":"DiskFull"},"starts_at":"2027-01-15T08:00:00Z"}"#
        #expect(await daemon.postAlert(alert).status == 202)
        await daemon.runDue()
        #expect(daemon.listener.pages.isEmpty, "nobody is paged for the matching alert while the silence holds")

        #expect(await visitor.post("/silences/1/end", [:], csrf: "guessed").status == 403)
        let ended = await visitor.post("/silences/1/end")
        #expect(ended.status == 303)
        #expect(try daemon.engine.store.silence(1).expiredBy == "chen.wei")
        #expect(!(await visitor.get("/on-call").text.contains("id=\"silence-1\"")), "an ended silence leaves the list")
        let again = await visitor.post("/silences/1/end")
        #expect(again.status == 409 && again.text.contains("Refused:"))
    }

    @Test func heartbeatsShowWaitingOnTimeAndMissed() async throws {
        let daemon = try await Self.daemon()
        defer { daemon.stop() }
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        #expect(await visitor.get("/on-call").text.contains("<td>pipeline</td><td>every 2 min</td>\n<td>never</td><td>0</td>\n<td><span class=\"heartbeat waiting\">waiting for its first check-in</span>"))
        #expect(await daemon.request("POST", "/api/v1/heartbeats/pipeline", token: "token-prometheus").status == 200)
        await daemon.advance(by: 30)
        #expect(await visitor.get("/on-call").text.contains("<span class=\"heartbeat on-time\">on time, next due in 1 min</span>"))
        await daemon.advance(by: 90)
        #expect(await visitor.get("/on-call").text.contains("<span class=\"heartbeat missed\">missed: its alert is firing</span>"))
    }
}
