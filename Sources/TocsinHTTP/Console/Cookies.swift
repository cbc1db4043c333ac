import Foundation
import Hummingbird

/// The cookies a browser sent, and the ones the console sets.
enum Cookies {
    static let session = "tocsin_session"
    /// Carries the sign-in form's CSRF token until there is a session (double submit).
    static let signIn = "tocsin_sign_in"

    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    /// A cookie only the console's own pages send back; `secure` under TLS.
    static func header(_ name: String, value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
