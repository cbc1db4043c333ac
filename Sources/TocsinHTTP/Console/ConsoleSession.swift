import Foundation
import TocsinCore

/// A person signed in to the console: the cookie's secret names it, and every form it is
/// shown carries its CSRF token, which a cross-site page cannot read.
struct ConsoleSession: Sendable, Hashable {
    var id: String
    var person: String
    var csrfToken: String
    var expiresAt: Date

    /// 32 random bytes in hex: a session id or a CSRF token nobody can guess.
    static func secret() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexText.string((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
