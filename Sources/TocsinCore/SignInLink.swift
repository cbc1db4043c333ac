import Crypto
import Foundation

/// A one-time link that signs a person in to the console, sent through their own contact
/// method, so that holding it proves holding the phone or chat behind that method.
///
/// It is signed like an acknowledge link, with the same secret but under its own purpose (an
/// acknowledge link's signature never stands for a sign-in link's), expires soon, and names
/// a nonce the console accepts once.
public struct SignInLink: Sendable, Hashable {
    public var personID: String
    public var expires: Int64
    public var nonce: String
    public var signature: String

    public init(personID: String, expires: Int64, nonce: String, signature: String) {
        self.personID = personID
        self.expires = expires
        self.nonce = nonce
        self.signature = signature
    }

    /// How long a sign-in link works.
    public static let lifetime: TimeInterval = 15 * 60

    /// `/sign-in/link?person=…&expires=…&nonce=…&sig=…` under `baseURL`.
    public func url(baseURL: String) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let person = personID.addingPercentEncoding(withAllowedCharacters: allowed) ?? personID
        return "\(base)/sign-in/link?person=\(person)&expires=\(expires)&nonce=\(nonce)&sig=\(signature)"
    }

    /// When the link stops working.
    public var expiresAt: Date { Date(timeIntervalSince1970: TimeInterval(expires)) }
}

/// Why a sign-in link is refused.
public enum SignInLinkProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case badSignature
    case expired
    case used

    public var description: String {
        switch self {
        case .badSignature: "This sign-in link is not genuine: its signature does not match. Ask for a new one, or sign in with your token."
        case .expired: "This sign-in link has expired (they work for 15 minutes). Ask for a new one, or sign in with your token."
        case .used: "This sign-in link has been used already; each works once. Ask for a new one, or sign in with your token."
        }
    }
}

extension AckLinkSigner {
    /// A link for `personID` to sign in once with `nonce`, issued at `now`.
    public func signIn(personID: String, nonce: String, now: Date) -> SignInLink {
        let expires = Int64(now.addingTimeInterval(SignInLink.lifetime).timeIntervalSince1970)
        return SignInLink(personID: personID, expires: expires, nonce: nonce, signature: signInSignature(personID: personID, expires: expires, nonce: nonce))
    }

    /// Checks a presented sign-in link's signature and age; whether it was used is the console's to know.
    public func problem(with link: SignInLink, now: Date) -> SignInLinkProblem? {
        guard constantTimeEqual(signInSignature(personID: link.personID, expires: link.expires, nonce: link.nonce), link.signature) else {
            return .badSignature
        }
        guard Double(link.expires) > now.timeIntervalSince1970 else { return .expired }
        return nil
    }

    private func signInSignature(personID: String, expires: Int64, nonce: String) -> String {
        let message = Data("sign-in|\(personID)|\(expires)|\(nonce)".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))).base64URLEncoded
    }
}
