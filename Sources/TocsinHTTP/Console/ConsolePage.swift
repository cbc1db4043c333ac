import HTTPTypes
import Hummingbird

/// One console page: the shared frame around a view, and the headers that keep a hostile
/// string inert even if one slipped through (no inline script or style may run).
struct ConsolePage {
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    var title: String
    /// The signed-in person, shown with the sign-out button; nil on the sign-in page.
    var session: ConsoleSession?
    var body: HTML

    func response(status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = Self.headers
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.description)))
    }

    static var headers: HTTPFields {
        [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy, .cacheControl: "no-store",
         HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin"]
    }

    var html: HTML {
        let account: HTML = if let session {
            """
            <form class="sign-out" method="post" action="/sign-out">\(csrfField(session))
            <span>Signed in as <strong>\(session.person)</strong></span> <button type="submit">Sign out</button></form>
            """
        } else {
            .empty
        }
        let navigation: HTML = session == nil ? .empty : """
            <nav aria-label="Console"><a href="/">Incidents</a> <a href="/on-call">On call</a> <a href="/review">Review</a> <a href="/drills">Drills</a></nav>
            """
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Tocsin</title>
            <link rel="stylesheet" href="/console/console.css"><script src="/console/console.js" defer></script></head>
            <body><header class="bar"><a class="brand" href="/">Tocsin</a>\(navigation)\(account)</header>
            <main>\(body)</main></body></html>
            """
    }
}

/// The hidden field that proves a form came from a page the console served to this session.
func csrfField(_ session: ConsoleSession) -> HTML {
    "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrfToken)\">"
}
