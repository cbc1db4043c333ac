import Foundation
import Testing
import TocsinCore
import TocsinPager

/// The incident console over real HTTP, read as a person without JavaScript reads it: what
/// the pages show, who may do what from them, and that nothing changes but by a signed-in
/// person's form carrying its CSRF token.
@Suite struct ConsoleTests {
    static let scriptSummary = "<script>alert('summary')</script> Card auth failing"
    static let labelPayload = "\"><img src=x onerror=alert('label')>"
    static let notePayload = "<script>alert('note')</script> & <b>bold</b>"

    /// An alert whose summary and labels carry markup, opening incident 1, its first page delivered.
    func openHostileIncident(_ daemon: TestDaemon) async throws {
        let alert: [String: Any] = [
            "source": "prometheus", "dedup_key": "card-auth", "summary": Self.scriptSummary, "service": "payments-core",
            "labels": ["urgency": "high", "scenario": "total_outage", "team": Self.labelPayload], "status": "firing",
            "starts_at": UTCTime.string(daemon.clock.now()),
        ]
        let posted = await daemon.postAlert(String(decoding: try JSONSerialization.data(withJSONObject: alert), as: UTF8.self))
        #expect(posted.status == 202)
        await daemon.runDue()
    }

    /// The hostile incident open, and its commander signed in and looking at it.
    func signedInCommander(_ daemon: TestDaemon) async throws -> ConsoleVisitor {
        try await openHostileIncident(daemon)
        let commander = ConsoleVisitor(daemon)
        await commander.signIn("token-chen")
        _ = await commander.get("/incidents/1")
        return commander
    }

    /// The hostile incident moved to assessing by its commander, who stays signed in.
    func assessingCommander(_ daemon: TestDaemon) async throws -> ConsoleVisitor {
        let commander = try await signedInCommander(daemon)
        #expect(await commander.post("/incidents/1/act/advance", ["to": "assessing"]).status == 303)
        return commander
    }

    @Test func everyPageAndActionAsksForSignInFirst() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await openHostileIncident(daemon)
        let visitor = ConsoleVisitor(daemon)
        for path in ["/", "/incidents/1"] {
            let page = await visitor.get(path)
            #expect(page.status == 303 && page.headers["location"] == "/sign-in", "\(path) without a session")
        }
        #expect(await visitor.get("/incidents/1/live").status == 401)
        let ack = await visitor.post("/incidents/1/ack", csrf: "anything")
        #expect(ack.status == 303 && ack.headers["location"] == "/sign-in")
        #expect(try daemon.engine.store.incident(1).acknowledgedAt == nil)

        let form = await visitor.get("/sign-in")
        #expect(form.status == 200)
        #expect(form.text.contains("name=\"token\" type=\"password\""))
    }

    @Test func signingInGivesAStrictHttpOnlyCookieThatSignsOutAndExpires() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let stranger = ConsoleVisitor(daemon)
        #expect(await stranger.signIn("not-a-token").status == 401)
        #expect(await stranger.signIn("token-monitoring").text.contains("belongs to the integration"))
        #expect(stranger.sessionCookie == nil)

        let visitor = ConsoleVisitor(daemon)
        let answer = await visitor.signIn("token-chen")
        #expect(answer.status == 303 && answer.headers["location"] == "/")
        let cookie = try #require(answer.headers["set-cookie"])
        #expect(cookie.hasPrefix("tocsin_session="))
        #expect(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"))
        #expect(!cookie.contains("Secure"), "plain HTTP on 127.0.0.1: a Secure cookie would never come back")
        let list = await visitor.get("/")
        #expect(list.status == 200 && list.text.contains("Signed in as <strong>chen.wei</strong>"))

        let out = await visitor.post("/sign-out")
        #expect(out.status == 303 && out.headers["location"] == "/sign-in")
        #expect(await visitor.get("/").status == 303, "the session ended on the server, not only in the browser")

        await visitor.signIn("token-chen")
        #expect(await visitor.get("/").status == 200)
        daemon.clock.advance(by: 12 * 3600 - 1)
        #expect(await visitor.get("/").status == 200)
        daemon.clock.advance(by: 1)
        #expect(await visitor.get("/").status == 303, "sessions last 12 hours")
    }

    @Test func signInFormWithoutItsCSRFTokenIsRefused() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let forged = await HTTPTransfer(method: "POST", url: daemon.baseURL + "/sign-in",
                                        headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "tocsin_sign_in=other"],
                                        body: Data("token=token-chen&csrf=guessed".utf8)).sendPatiently()
        #expect(forged.status == 403)
        #expect(forged.headers["set-cookie"]?.hasPrefix("tocsin_session=") != true)
    }

    @Test func formsWithoutTheSessionsCSRFTokenChangeNothing() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let visitor = try await signedInCommander(daemon)
        let before = try databaseSnapshot(daemon.databasePath)
        for csrf in ["", "0123456789abcdef", String(repeating: "a", count: 64)] {
            let ack = await visitor.post("/incidents/1/ack", csrf: csrf)
            #expect(ack.status == 403 && ack.text.contains("nothing was done"))
            let advance = await visitor.post("/incidents/1/act/advance", ["to": "assessing"], csrf: csrf)
            #expect(advance.status == 403)
            #expect(await visitor.post("/sign-out", csrf: csrf).status == 403)
        }
        #expect(try databaseSnapshot(daemon.databasePath) == before)
        #expect(await visitor.get("/").status == 200, "a refused sign-out leaves the session")
    }

    @Test func alertTextLabelsAndNotesCarryingMarkupAreShownAsText() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let visitor = try await signedInCommander(daemon)
        #expect(await visitor.post("/incidents/1/act/note", ["text": Self.notePayload]).status == 303)

        for path in ["/", "/incidents/1"] {
            let page = await visitor.get(path)
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
            #expect(page.headers["content-security-policy"]?.contains("unsafe-inline") == false)
            #expect(page.text.contains("&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt; Card auth failing"), "\(path) shows the summary as text")
            #expect(!page.text.contains("<script>alert"), "\(path) has no script from the alert")
            let scripts = page.text.components(separatedBy: "<script").count - 1
            #expect(scripts == 1 && page.text.contains("<script src=\"/console/console.js\" defer></script>"), "only the console's own script")
            #expect(!page.text.contains(" style="), "no inline style")
        }
        let incident = await visitor.get("/incidents/1").text
        #expect(incident.contains("team=&quot;&gt;&lt;img src=x onerror=alert(&#39;label&#39;)&gt;"))
        #expect(!incident.contains("<img"))
        #expect(incident.contains("&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(try daemon.events(.noteAdded).first?.detail["text"] == Self.notePayload, "the note is recorded exactly as typed")
    }

    @Test func acknowledgingFromThePageIsRecordedOnTheTimelineAndStopsEscalation() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await openHostileIncident(daemon)
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let page = await visitor.get("/incidents/1")
        #expect(page.text.contains("action=\"/incidents/1/ack\""))
        #expect(page.text.contains("Not acknowledged"))

        let ack = await visitor.post("/incidents/1/ack")
        #expect(ack.status == 303 && ack.headers["location"] == "/incidents/1")
        let acknowledged = try #require(try daemon.events(.acknowledged).first)
        #expect(acknowledged.actor == "chen.wei")
        #expect(acknowledged.detail["via"] == "console")
        #expect(try daemon.engine.store.incident(1).acknowledgedBy == "chen.wei")

        let after = await visitor.get("/incidents/1").text
        #expect(after.contains("Acknowledged by chen.wei"))
        #expect(!after.contains("action=\"/incidents/1/ack\""), "nothing left to acknowledge")
        let list = await visitor.get("/").text
        #expect(list.contains("by chen.wei"))
        let paged = daemon.escalationPages.count
        await daemon.advance(by: 600)
        #expect(daemon.escalationPages.count == paged, "the backup is not paged after the acknowledgement")
    }

    @Test func aRefusedCommandShowsTheProceduresReasonAndChangesNothing() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let commander = try await assessingCommander(daemon)
        #expect(try daemon.engine.store.incident(1).stage == .assessing)

        let before = try databaseSnapshot(daemon.databasePath)
        let refused = await commander.post("/incidents/1/act/advance", ["to": "recovering"])
        #expect(refused.status == 409)
        let reason = "To leave assessing, record the assessment (start time, scope, spread, affected services) first."
        #expect(refused.text.contains("data-key=\"advance:recovering\"><h3>Move to recovering</h3><p class=\"refusal\" role=\"alert\">Refused: \(reason)</p>"))
        #expect(try databaseSnapshot(daemon.databasePath) == before)

        let badTime = await commander.post("/incidents/1/act/assess", ["fault_started_at": "yesterday", "scope": "all", "spread": "all regions"])
        #expect(badTime.status == 400)
        #expect(badTime.text.contains("Refused: Field fault_started_at is &quot;yesterday&quot;"))
        #expect(badTime.text.contains("name=\"fault_started_at\" value=\"yesterday\"") && badTime.text.contains("name=\"spread\" value=\"all regions\""),
                "what the commander typed is put back in the refused form")
        #expect(try databaseSnapshot(daemon.databasePath) == before)

        let reviewer = ConsoleVisitor(daemon)
        await reviewer.signIn("token-grace")
        let page = await reviewer.get("/incidents/1")
        #expect(!page.text.contains("/act/advance"), "the reviewer is not offered what only the commander or leadership may do")
        #expect(page.text.contains("/act/note"))
        let notPermitted = await reviewer.post("/incidents/1/act/advance", ["to": "recovering"])
        #expect(notPermitted.status == 403)
        #expect(notPermitted.text.contains("<p class=\"refusal\" role=\"alert\">Refused: grace.ho may not advance the incident; that takes the incident commander (chen.wei) or a member of the leadership group."))
        #expect(try databaseSnapshot(daemon.databasePath) == before)
    }

    @Test(arguments: StoreBackend.all) func theIncidentPageShowsStageGateClocksPagesAndAFoldedTimeline(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        try await openHostileIncident(daemon)
        await daemon.advance(by: 60)
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        _ = await visitor.get("/incidents/1")
        #expect(await visitor.post("/incidents/1/act/advance", ["to": "assessing"]).status == 303)
        let page = await visitor.get("/incidents/1").text

        #expect(page.contains("<li class=\"passed\">reported</li>"))
        #expect(page.contains("<li class=\"current\" aria-current=\"step\">assessing</li>"))
        #expect(page.contains("<h3>To move to recovering</h3><ul class=\"gate-missing\"><li>Missing: the assessment (start time, scope, spread, affected services)</li></ul>"))
        #expect(!page.contains("stop trading first"), "a gate that does not apply is not listed")
        #expect(page.contains("Trading is stopped by a proposal"), "the way into trading_stopped is named")

        let timers = try daemon.engine.store.timers(of: 1)
        #expect(Set(timers.map(\.kind)).isSuperset(of: [.escalation, .updateReminder, .updateDue, .deadline]))
        #expect(page.contains("Root cause and recovery plan are due</span>\n<time class=\"countdown\" datetime=\"\(UTCTime.string(daemon.clock.now().addingTimeInterval(3600)))\""))
        #expect(page.contains(">in 1 h 0 min</time>"))
        #expect(page.contains("The bulletin update is due"))
        #expect(page.contains(">in 30 min</time>"), "the bulletin is due 30 minutes after the incident was taken, by this move to assessing")
        #expect(page.contains("Escalation level 2 pages unless acknowledged"))

        #expect(page.contains("<tr><td>chen.wei</td><td>webhook</td><td>escalation level 1</td>\n<td><span class=\"delivery delivered\">delivered</span> after 1 attempt</td>"))
        #expect(page.contains("<summary>"), "page deliveries are folded")
        #expect(page.contains("<li class=\"event by-person\""), "people's acts stand out")
        #expect(page.contains("<span class=\"kind\">stage changed</span>"))
    }

    @Test func stoppingTradingFromTheConsoleTakesTheCommandersProposalAndASecondPersonsApproval() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let commander = try await assessingCommander(daemon)
        _ = await commander.get("/incidents/1")
        let assessed = await commander.post("/incidents/1/act/assess", [
            "fault_started_at": UTCTime.string(daemon.clock.now().addingTimeInterval(-300)), "scope": "all card and wallet payments",
            "spread": "every region", "affected_services": "payments-core, wallets", "all_business_affected": "true",
        ])
        #expect(assessed.status == 303)
        #expect(try daemon.engine.store.procedureRecord(1).assessment?.affectedServices == ["payments-core", "wallets"])
        let page = await commander.get("/incidents/1").text
        #expect(page.contains("<li>All business is affected: stop trading first"), "the gate to recovering says why it is shut")
        #expect(!page.contains("/act/approve-stop-trading"), "the commander is not offered the approval")
        #expect(await commander.post("/incidents/1/act/stop-trading", ["what": "all trading"]).status == 303)
        let selfApproval = await commander.post("/incidents/1/act/approve-stop-trading")
        #expect(selfApproval.status == 403)
        #expect(selfApproval.text.contains("Refused: chen.wei may not approve stopping trading; that takes a member of the leadership group."))
        #expect(daemon.listener.pages.filter { $0.path == "/platform/stop-trading" }.isEmpty)

        let leader = ConsoleVisitor(daemon)
        await leader.signIn("token-li")
        let offered = await leader.get("/incidents/1").text
        #expect(offered.contains("chen.wei proposes to stop all trading."))
        #expect(await leader.post("/incidents/1/act/approve-stop-trading").status == 303)
        #expect(try daemon.engine.store.incident(1).stage == .tradingStopped)
        #expect(daemon.listener.pages.filter { $0.path == "/platform/stop-trading" }.count == 1)
        let stopped = await leader.get("/incidents/1").text
        #expect(stopped.contains("<li class=\"current\" aria-current=\"step\">trading_stopped"))
        #expect(stopped.contains("<dt>Scope</dt><dd>all card and wallet payments</dd>"), "the assessment is on record")
        #expect(stopped.contains("<dt>Proposed by</dt><dd>chen.wei, approved by li.na</dd><dt>Trading</dt><dd>stopped</dd>"))
        #expect(stopped.contains("<li class=\"open\">Confirm scope</li>"), "the runbook's checklist")

        _ = await commander.get("/incidents/1")
        #expect(await commander.post("/incidents/1/act/handover", ["role": "executor", "to": "vendor.dba"]).status == 303)
        #expect(await commander.post("/incidents/1/act/handover", ["role": "coordinator", "to": "nobody.known"]).text
            .contains("Refused: There is no person &quot;nobody.known&quot; in Contacts/."))
        #expect(try daemon.engine.store.procedureRecord(1).roles.coordinator == "sam.okafor")
    }

    @Test func theIncidentsListFiltersBySeverityStageAndServiceWithAGetForm() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await openHostileIncident(daemon)
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "settle-late", service: "settlement", startsAt: daemon.clock.now()))
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let titles = { (page: String) in ["Card auth failing", "Payment API 5xx above 20%"].filter { page.contains($0) } }
        #expect(titles(await visitor.get("/").text).count == 2)
        #expect(titles(await visitor.get("/?service=settlement").text) == ["Payment API 5xx above 20%"])
        #expect(titles(await visitor.get("/?severity=SEV1&stage=reported").text) == ["Card auth failing"])
        let none = await visitor.get("/?stage=closed&service=settlement").text
        #expect(titles(none).isEmpty && none.contains("No open incidents."))
        #expect(none.contains("<option value=\"settlement\" selected>settlement</option>"), "the form shows the filter in force")
    }

    @Test func gettingEveryConsolePageChangesNothing() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        try await openHostileIncident(daemon)
        let visitor = ConsoleVisitor(daemon)
        await visitor.signIn("token-chen")
        let before = try databaseSnapshot(daemon.databasePath)
        for path in ["/", "/sign-in", "/incidents/1", "/incidents/2", "/incidents/1/ack", "/incidents/1/act/advance?to=assessing",
                     "/console/console.css", "/console/console.js", "/sign-out", "/on-call", "/silences", "/silences/1/end",
                     "/review", "/review/report?format=json", "/incidents/1/export?format=json", "/sign-in/link", "/sign-in/link/use"] {
            _ = await visitor.get(path)
        }
        #expect(try databaseSnapshot(daemon.databasePath) == before)
        #expect(try daemon.engine.store.incident(1).acknowledgedAt == nil)
        #expect(await visitor.get("/incidents/2").status == 404)
        #expect(await visitor.get("/").status == 200, "a GET of /sign-out does not sign out")
    }
}
