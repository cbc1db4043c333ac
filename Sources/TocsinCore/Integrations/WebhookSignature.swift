import Crypto
import Foundation

/// Checks the HMAC-SHA256 signature Grafana puts on each webhook notification.
///
/// Grafana signs the raw body (or `TIMESTAMP:BODY` when a timestamp header is configured)
/// with the contact point's secret and sends the lowercase hex digest in a header. A
/// signature proves the notification came from that Grafana and was not altered; the
/// timestamp, when used, stops an old notification from being replayed.
public struct WebhookSignature: Sendable, Hashable {
    private let secret: Data
    /// Header carrying the signature.
    public var header: String
    /// Header carrying the Unix time the notification was signed at, when Grafana is configured to send one.
    public var timestampHeader: String?
    /// How far the signing time may be from tocsind's clock.
    public var tolerance: Duration

    public static let defaultHeader = "X-Grafana-Alerting-Signature"

    public init(secret: String, header: String = WebhookSignature.defaultHeader, timestampHeader: String? = nil, tolerance: Duration = .seconds(300)) {
        self.secret = Data(secret.utf8)
        self.header = header
        self.timestampHeader = timestampHeader
        self.tolerance = tolerance
    }

    /// The signature Grafana would send for `body` signed at `timestamp`.
    public func sign(_ body: Data, timestamp: String? = nil) -> String {
        var message = Data()
        if let timestamp { message.append(Data("\(timestamp):".utf8)) }
        message.append(body)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Why a notification's signature is refused, or nil when it is good.
    public func problem(body: Data, signature: String?, timestamp: String?, now: Date) -> WebhookSignatureProblem? {
        guard let signature = signature?.trimmingCharacters(in: .whitespaces), !signature.isEmpty else {
            return .missing(header: header)
        }
        var signedTimestamp: String?
        if let timestampHeader {
            guard let timestamp = timestamp?.trimmingCharacters(in: .whitespaces), let seconds = Int64(timestamp) else {
                return .missingTimestamp(header: timestampHeader)
            }
            guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance.seconds else {
                return .stale(signedAt: seconds, tolerance: tolerance)
            }
            signedTimestamp = timestamp
        }
        let expected = Array(sign(body, timestamp: signedTimestamp).utf8)
        let presented = Array(signature.lowercased().utf8)
        guard expected.count == presented.count, zip(expected, presented).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return .mismatch(header: header)
        }
        return nil
    }
}

/// Why a signed webhook is refused.
public enum WebhookSignatureProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case missing(header: String)
    case missingTimestamp(header: String)
    case stale(signedAt: Int64, tolerance: Duration)
    case mismatch(header: String)

    public var description: String {
        switch self {
        case .missing(let header):
            "The \(header) header is missing. Set the contact point's HMAC secret in Grafana to the integration's signing secret."
        case .missingTimestamp(let header):
            "The \(header) header is missing or not a Unix time. Set the contact point's HMAC timestamp header to \(header)."
        case .stale(let signedAt, let tolerance):
            "The notification was signed at Unix time \(signedAt), more than \(Int(tolerance.seconds)) s from tocsind's clock; it may be a replay, or one of the clocks is wrong."
        case .mismatch(let header):
            "The \(header) signature does not match the body. The contact point's HMAC secret differs from the integration's signing secret, or the body was altered."
        }
    }
}
