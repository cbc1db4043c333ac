import Crypto
import Foundation

/// The `X-Tocsin-Signature` header: proves a page comes from Tocsin and was not altered.
///
/// `t=TIMESTAMP,v1=HEX(HMAC-SHA256(secret, "TIMESTAMP.BODY"))`. A receiver recomputes the
/// HMAC with its secret, compares in constant time, and refuses timestamps too far from its
/// own clock so a recorded page cannot be replayed much later.
public enum PageSignature {
    public static let header = "X-Tocsin-Signature"
    public static let timestampHeader = "X-Tocsin-Timestamp"

    public static func sign(body: Data, secret: String, timestamp: Int64) -> String {
        "t=\(timestamp),v1=\(hex(body: body, secret: secret, timestamp: timestamp))"
    }

    /// Checks a header against `body`; returns why it is refused, or nil when it is genuine.
    public static func problem(header: String?, body: Data, secret: String, now: Date, tolerance: TimeInterval = 300) -> PageSignatureProblem? {
        guard let header else { return .missing }
        var timestamp: Int64?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, !signatures.isEmpty else { return .malformed }
        let expected = Array(hex(body: body, secret: secret, timestamp: timestamp).utf8)
        let genuine = signatures.contains { candidate in
            let given = Array(candidate.utf8)
            return given.count == expected.count && zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
        guard genuine else { return .mismatch }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { return .stale }
        return nil
    }

    private static func hex(body: Data, secret: String, timestamp: Int64) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        return HexText.string(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
    }
}

/// Why a receiver refuses a page's signature.
public enum PageSignatureProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case missing, malformed, mismatch, stale

    public var description: String {
        switch self {
        case .missing: "no \(PageSignature.header) header"
        case .malformed: "the \(PageSignature.header) header is not t=TIMESTAMP,v1=HEX"
        case .mismatch: "the signature does not match the body and timestamp: wrong secret, or the page was altered"
        case .stale: "the signature's timestamp is too far from now: a replayed page"
        }
    }
}
