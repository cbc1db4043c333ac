import Foundation
import TocsinPager

/// A person at the console over real HTTP, as a browser without JavaScript would be: keeps
/// the session cookie, reads the CSRF token from the page, posts forms, follows nothing
/// (each redirect is looked at).
final class ConsoleVisitor: @unchecked Sendable {
    let daemon: TestDaemon
    private(set) var sessionCookie: String?
    /// The CSRF token of the last page read.
    private(set) var csrf: String?

    init(_ daemon: TestDaemon) {
        self.daemon = daemon
    }

    /// Signs in with `token` through the sign-in form and returns the answer to the form.
    @discardableResult
    func signIn(_ token: String) async -> HTTPTransfer.Response {
        let form = await get("/sign-in")
        let signInCookie = (form.headers["set-cookie"] ?? "").split(separator: ";").first.map(String.init) ?? ""
        let answer = await HTTPTransfer(method: "POST", url: daemon.baseURL + "/sign-in",
                                        headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": signInCookie],
                                        body: Data(Self.encode(["csrf": Self.csrf(in: form.text) ?? "", "token": token]).utf8)).sendPatiently()
        if answer.status == 303, let cookie = answer.headers["set-cookie"], cookie.hasPrefix("tocsin_session=") {
            sessionCookie = cookie.split(separator: ";").first.map(String.init)
        }
        return answer
    }

    func get(_ path: String) async -> HTTPTransfer.Response {
        let response = await HTTPTransfer(method: "GET", url: daemon.baseURL + path, headers: cookieHeader).sendPatiently()
        if let token = Self.csrf(in: response.text) { csrf = token }
        return response
    }

    /// Posts a form with the page's CSRF token unless `csrf` says otherwise.
    func post(_ path: String, _ fields: [String: String] = [:], csrf override: String? = nil) async -> HTTPTransfer.Response {
        var fields = fields
        fields["csrf"] = override ?? csrf ?? ""
        var headers = cookieHeader
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return await HTTPTransfer(method: "POST", url: daemon.baseURL + path, headers: headers, body: Data(Self.encode(fields).utf8)).sendPatiently()
    }

    private var cookieHeader: [String: String] {
        sessionCookie.map { ["Cookie": $0] } ?? [:]
    }

    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }
}
