import Foundation
import HTTPTypes
import Hummingbird
import TocsinCore
import TocsinEngine

/// Signing in without a token: a person asks for a link, Tocsin sends it through their own
/// contact method (as it pages them), and opening it signs them in once, within 15 minutes.
///
/// Opening the link only shows a button: the sign-in itself is a POST, so nothing changes on
/// a GET and a link previewer that fetches the address cannot use the link up. The answer to
/// a request never says whether the name is known, and a person is sent at most one link a
/// minute.
struct SignInLinkRoutes {
    let console: ConsoleRoutes

    var engine: Engine { console.engine }

    func add(to router: RouteTable) {
        router.post("/sign-in/link") { request, _ -> Response in
            let fields = FormFields(try await console.body(of: request))
            guard let expected = Cookies.value(Cookies.signIn, in: request), fields["csrf"] == expected else {
                return console.signInPage(message: "This form has expired or did not come from this console; try again.", status: .forbidden)
            }
            let name = fields["person"]?.trimmingCharacters(in: .whitespaces) ?? ""
            if let person = engine.rules.roster.people[name], console.sessions.mayBeSentLink(person.id, now: engine.clock.now()) {
                await send(to: person)
            }
            return console.signInPage(news: "If \(name) is in Contacts/, a sign-in link is on its way through their contact method. It works once, for 15 minutes.")
        }
        router.get("/sign-in/link") { request, _ -> Response in
            let query = request.uri.queryParameters
            let link = Self.link { query.get($0) }
            if let problem = problem(with: link) { return refused(problem) }
            let token = ConsoleSession.secret()
            let hidden = [("person", link.personID), ("expires", "\(link.expires)"), ("nonce", link.nonce), ("sig", link.signature)]
                .map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" as HTML }
            let body: HTML = """
                <h1>Sign in</h1><form class="sign-in" method="post" action="/sign-in/link/use"><input type="hidden" name="csrf" value="\(token)">\(hidden)
                <p>This link signs in <strong>\(link.personID)</strong>, once, until \(Moments.text(link.expiresAt)).</p>
                <button type="submit">Sign in as \(link.personID)</button></form>
                """
            return ConsolePage(title: "Sign in", session: nil, body: body)
                .response(headers: [.setCookie: Cookies.header(Cookies.signIn, value: token, maxAge: 900, secure: console.secureCookies)])
        }
        router.post("/sign-in/link/use") { request, _ -> Response in
            let fields = FormFields(try await console.body(of: request))
            guard let expected = Cookies.value(Cookies.signIn, in: request), fields["csrf"] == expected else {
                return console.signInPage(message: "This form has expired or did not come from this console; open your link again.", status: .forbidden)
            }
            let link = Self.link { fields[$0] }
            if let problem = problem(with: link) { return refused(problem) }
            guard console.sessions.redeem(nonce: link.nonce, expiresAt: link.expiresAt, now: engine.clock.now()) else { return refused(.used) }
            return console.startSession(for: link.personID)
        }
    }

    private func send(to person: Person) async {
        let nonce = ConsoleSession.secret()
        let link = engine.rules.ackLinks.signIn(personID: person.id, nonce: nonce, now: engine.clock.now())
        let url = link.url(baseURL: engine.rules.publicURL)
        let text = "Tocsin: sign in to the console as \(person.id) (works once, for 15 minutes): \(url)"
        let message: [String: String] = ["kind": "sign_in_link", "person": person.id, "url": url, "expires_at": UTCTime.string(link.expiresAt), "text": text]
        let json = (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data()
        _ = await engine.sendDirect(json: json, text: text, to: person, key: "sign-in-\(nonce.prefix(16))")
    }

    /// Why the link cannot sign anyone in, checked before anything is shown or done: a
    /// person who has left Contacts/ cannot sign in with a link sent earlier.
    private func problem(with link: SignInLink) -> SignInLinkProblem? {
        if let problem = engine.rules.ackLinks.problem(with: link, now: engine.clock.now()) { return problem }
        return engine.rules.roster.people[link.personID] == nil ? .badSignature : nil
    }

    private static func link(from value: (String) -> String?) -> SignInLink {
        SignInLink(personID: value("person") ?? "", expires: Int64(value("expires") ?? "") ?? 0, nonce: value("nonce") ?? "", signature: value("sig") ?? "")
    }

    private func refused(_ problem: SignInLinkProblem) -> Response {
        ConsolePage(title: "Sign-in link refused", session: nil, body: """
            <h1>Sign-in link refused</h1><p class="refusal" role="alert">\(problem.description)</p><p><a href="/sign-in">Sign in</a></p>
            """).response(status: problem == .badSignature ? .forbidden : .gone)
    }
}
