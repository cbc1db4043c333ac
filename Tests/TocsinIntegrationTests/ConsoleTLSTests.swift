import Foundation
import Testing
import TocsinPager
import TocsinTestSupport

/// The console of the real `tocsind` binary, with Deploy/tocsin.yaml, serving HTTPS: a
/// person signs in with the demo token the documentation names, and every cookie the console
/// sets over TLS is `Secure` as well as `HttpOnly` and `SameSite=Strict`.
@Suite struct ConsoleTLSTests {
    @Test func signingInOverHTTPSGivesSecureCookies() async throws {
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: try LoopbackPort.free())
        // openssl makes the key, and a stop waits for tocsind, on threads of their own: blocking two of the
        // threads that run Swift's tasks stalls every in-process server of the suites running beside this one.
        let certificate = try await folder.enableTLS()
        let daemon = try TocsindDaemon(folder, certificate: certificate)
        defer {
            daemon.stop()
            folder.remove()
        }
        try await daemon.waitUntilServing()
        func send(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) async -> HTTPTransfer.Response {
            await HTTPTransfer(method: method, url: daemon.baseURL + path, headers: headers, body: body.map { Data($0.utf8) },
                               certificateAuthorityFile: certificate.path).sendPatiently()
        }

        let form = await send("GET", "/sign-in")
        #expect(form.status == 200)
        let formCookie = try #require(form.headers["set-cookie"])
        #expect(formCookie.hasPrefix("tocsin_sign_in=") && formCookie.contains("; HttpOnly; SameSite=Strict; Secure"))
        let csrfStart = try #require(form.text.range(of: "name=\"csrf\" value=\""))
        let csrf = String(form.text[csrfStart.upperBound...].prefix { $0 != "\"" })

        let signedIn = await send("POST", "/sign-in", headers: ["Content-Type": "application/x-www-form-urlencoded",
                                                                "Cookie": String(formCookie.prefix { $0 != ";" })],
                                  body: "token=demo-chen-wei-token&csrf=\(csrf)")
        #expect(signedIn.status == 303)
        let sessionCookie = try #require(signedIn.headers["set-cookie"])
        #expect(sessionCookie.hasPrefix("tocsin_session=") && sessionCookie.contains("; HttpOnly; SameSite=Strict; Secure"))

        let list = await send("GET", "/", headers: ["Cookie": String(sessionCookie.prefix { $0 != ";" })])
        #expect(list.status == 200)
        #expect(list.text.contains("Signed in as <strong>chen.wei</strong>"))
        #expect(list.headers["content-security-policy"]?.hasPrefix("default-src 'none'; script-src 'self'") == true)
        await daemon.stop()
    }
}

private extension HTTPTransfer.Response {
    var text: String { String(decoding: body, as: UTF8.self) }
}
