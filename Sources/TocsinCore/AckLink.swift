import Crypto
import Foundation

/// Signs and checks the acknowledge links sent in pages.
///
/// A link belongs to one person and one incident and expires; its signature is an
/// HMAC-SHA256 over those three, so it cannot be forged or moved to another incident.
public struct AckLinkSigner: Sendable {
    let secret: Data
    public let lifetime: Duration

    public init(secret: String, lifetime: Duration = .seconds(24 * 3600)) {
        self.secret = Data(secret.utf8)
        self.lifetime = lifetime
    }

    /// The query items of a link for `personID` to acknowledge `incidentID`, issued at `now`.
    public func sign(incidentID: Int64, personID: String, now: Date) -> AckLinkToken {
        let expires = Int64(now.addingTimeInterval(lifetime.seconds).timeIntervalSince1970)
        return AckLinkToken(incidentID: incidentID, personID: personID, expires: expires,
                            signature: signature(incidentID: incidentID, personID: personID, expires: expires))
    }

    /// Checks a presented link; returns why it is refused, or nil when it is good.
    public func problem(with token: AckLinkToken, now: Date) -> AckLinkProblem? {
        let expected = signature(incidentID: token.incidentID, personID: token.personID, expires: token.expires)
        guard constantTimeEqual(expected, token.signature) else { return .badSignature }
        guard Double(token.expires) > now.timeIntervalSince1970 else { return .expired }
        return nil
    }

    private func signature(incidentID: Int64, personID: String, expires: Int64) -> String {
        let message = Data("\(incidentID)|\(personID)|\(expires)".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))).base64URLEncoded
    }

    func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// What an acknowledge link carries.
public struct AckLinkToken: Sendable, Hashable {
    public var incidentID: Int64
    public var personID: String
    public var expires: Int64
    public var signature: String

    public init(incidentID: Int64, personID: String, expires: Int64, signature: String) {
        self.incidentID = incidentID
        self.personID = personID
        self.expires = expires
        self.signature = signature
    }

    /// `/ack/ID?person=…&expires=…&sig=…` under `baseURL`.
    public func url(baseURL: String) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return "\(base)/ack/\(incidentID)?person=\(personID)&expires=\(expires)&sig=\(signature)"
    }
}

/// Why an acknowledge link is refused.
public enum AckLinkProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case badSignature
    case expired

    public var description: String {
        switch self {
        case .badSignature: "This acknowledge link is not genuine: its signature does not match. Use the link from your page, or acknowledge with `tocsin ack`."
        case .expired: "This acknowledge link has expired. Acknowledge with `tocsin ack` or from the console."
        }
    }
}

extension Data {
    /// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5), byte by byte: every
    /// page carries a signed link, and three `replacingOccurrences` cost more than the HMAC.
    var base64URLEncoded: String {
        let bytes = base64EncodedData().compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
