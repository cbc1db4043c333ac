import Foundation
import Testing
import TocsinCore
import TocsinPager

/// Signing in with a one-time link sent through the person's own contact method: signed and
/// expiring like an acknowledge link, used once, by a POST (opening it changes nothing), and
/// the request never telling whether a name is known.
@Suite struct ConsoleSignInLinkTests {
    /// A browser without a session: keeps the sign-in form's cookie between pages.
    final class Browser: @unchecked Sendable {
        let daemon: TestDaemon
        var signInCookie = ""
        var csrf = ""

        init(_ daemon: TestDaemon) { self.daemon = daemon }

        func get(_ path: String) async -> HTTPTransfer.Response {
            let page = await HTTPTransfer(method: "GET", url: daemon.baseURL + path).sendPatiently()
            if let cookie = page.headers["set-cookie"], cookie.hasPrefix("tocsin_sign_in=") { signInCookie = String(cookie.prefix { $0 != ";" }) }
            if let token = ConsoleVisitor.csrf(in: page.text) { csrf = token }
            return page
        }

        func post(_ path: String, _ fields: [String: String]) async -> HTTPTransfer.Response {
            var fields = fields
            fields["csrf"] = fields["csrf"] ?? csrf
            return await HTTPTransfer(method: "POST", url: daemon.baseURL + path,
                                      headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": signInCookie],
                                      body: Data(ConsoleVisitor.encode(fields).utf8)).sendPatiently()
        }
    }

    /// Asks for chen.wei's link and returns its address as sent to chen.wei's webhook.
    func requestLink(_ daemon: TestDaemon, _ browser: Browser, person: String = "chen.wei") async throws -> URLComponents {
        _ = await browser.get("/sign-in")
        let before = daemon.listener.pages.count
        let answer = await browser.post("/sign-in/link", ["person": person])
        #expect(answer.status == 200 && answer.text.contains("a sign-in link is on its way through their contact method"))
        let sent = try #require(daemon.listener.pages.dropFirst(before).first { $0.path == "/\(person)" })
        #expect(sent.json["kind"] as? String == "sign_in_link")
        let url = try #require(sent.json["url"] as? String)
        return try #require(URLComponents(string: url))
    }

    func fields(_ link: URLComponents) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (link.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test func aLinkSentToThePersonSignsThemInOnceByAPost() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let browser = Browser(daemon)
        let link = try await requestLink(daemon, browser)
        #expect(link.path == "/sign-in/link" && fields(link)["person"] == "chen.wei")

        let before = try databaseSnapshot(daemon.databasePath)
        let opened = await browser.get("/sign-in/link?\(link.percentEncodedQuery ?? "")")
        #expect(opened.status == 200 && opened.text.contains("<button type=\"submit\">Sign in as chen.wei</button>"))
        #expect(opened.headers["set-cookie"]?.hasPrefix("tocsin_session=") != true, "opening the link signs nobody in")
        #expect(await browser.get("/sign-in/link?\(link.percentEncodedQuery ?? "")").status == 200, "nor uses it up")

        #expect(await browser.post("/sign-in/link/use", fields(link).merging(["csrf": "guessed"]) { _, new in new }).status == 403)
        let used = await browser.post("/sign-in/link/use", fields(link))
        #expect(used.status == 303 && used.headers["location"] == "/")
        let cookie = String(try #require(used.headers["set-cookie"]).prefix { $0 != ";" })
        #expect(cookie.hasPrefix("tocsin_session="))
        let list = await HTTPTransfer(method: "GET", url: daemon.baseURL + "/", headers: ["Cookie": cookie]).sendPatiently()
        #expect(list.status == 200 && list.text.contains("Signed in as <strong>chen.wei</strong>"))
        #expect(try databaseSnapshot(daemon.databasePath) == before, "signing in writes nothing to the record")

        _ = await browser.get("/sign-in/link?\(link.percentEncodedQuery ?? "")")
        let again = await browser.post("/sign-in/link/use", fields(link))
        #expect(again.status == 410 && again.text.contains("has been used already"))
    }

    @Test func aForgedExpiredOrUnknownLinkSignsNobodyIn() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let browser = Browser(daemon)
        let link = try await requestLink(daemon, browser)

        var moved = fields(link)
        moved["person"] = "li.na"
        let forged = await browser.get("/sign-in/link?" + ConsoleVisitor.encode(moved))
        #expect(forged.status == 403 && forged.text.contains("not genuine"))
        _ = await browser.get("/sign-in/link?\(link.percentEncodedQuery ?? "")")
        #expect(await browser.post("/sign-in/link/use", moved).status == 403)

        let ackLink = daemon.engine.rules.ackLinks.sign(incidentID: 1, personID: "chen.wei", now: daemon.clock.now())
        let ackSignature = await browser.get("/sign-in/link?" + ConsoleVisitor.encode(["person": "chen.wei", "expires": "\(ackLink.expires)", "nonce": "1", "sig": ackLink.signature]))
        #expect(ackSignature.status == 403, "an acknowledge link's signature is no sign-in link's")

        daemon.clock.advance(by: 15 * 60)
        let expired = await browser.get("/sign-in/link?\(link.percentEncodedQuery ?? "")")
        #expect(expired.status == 410 && expired.text.contains("has expired"))

        let pages = daemon.listener.pages.count
        _ = await browser.get("/sign-in")
        #expect(await browser.post("/sign-in/link", ["person": "priya.raman"]).status == 200)
        _ = await browser.get("/sign-in")
        #expect(await browser.post("/sign-in/link", ["person": "priya.raman"]).status == 200)
        #expect(daemon.listener.pages.count == pages + 1, "one link a minute, however often it is asked for")
        daemon.clock.advance(by: 60)
        _ = await browser.get("/sign-in")
        #expect(await browser.post("/sign-in/link", ["person": "priya.raman"]).status == 200)
        #expect(daemon.listener.pages.count == pages + 2)

        _ = await browser.get("/sign-in")
        let unknown = await browser.post("/sign-in/link", ["person": "nobody.known"])
        #expect(unknown.status == 200 && unknown.text.contains("If nobody.known is in Contacts/, a sign-in link is on its way"), "the same answer as for a known name")
        #expect(daemon.listener.pages.count == pages + 2, "nothing was sent")
        #expect(await browser.post("/sign-in/link", ["person": "chen.wei", "csrf": "guessed"]).status == 403)
        #expect(daemon.listener.pages.count == pages + 2)
    }
}
