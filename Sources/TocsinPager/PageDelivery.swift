import Foundation
import TocsinCore

/// Sends pages from the outbox to people's webhooks.
///
/// Each request carries an `Idempotency-Key` that stays the same across retries and
/// restarts, so a receiver can drop the duplicates at-least-once delivery can produce, and,
/// when the destination has a secret, an `X-Tocsin-Signature` over the timestamp and body.
public struct PageDelivery: Sendable {
    public var timeout: Duration
    public var connectTimeout: Duration
    /// Signing secret of each destination (`PERSON/CHANNEL`).
    public var secrets: [String: String]

    public init(timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(3), secrets: [String: String] = [:]) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.secrets = secrets
        // The transfer threads and their curl handles start now: set up on the first page,
        // they held it back by about 2 ms.
        _ = TransferWorkers.shared
    }

    /// The signing secrets of every contact method in `roster` that has one.
    public init(timeout: Duration, connectTimeout: Duration, roster: Roster) {
        var secrets: [String: String] = [:]
        for person in roster.people.values {
            for method in person.contactMethods {
                if let secret = method.signingSecret { secrets["\(person.id)/\(method.channel)"] = secret }
            }
        }
        self.init(timeout: timeout, connectTimeout: connectTimeout, secrets: secrets)
    }

    /// The headers of one attempt at `page`, signed at `now` when its destination has a secret.
    public func headers(for page: OutboundPage, now: Date) -> [String: String] {
        var headers = [
            "Content-Type": page.contentType,
            "Idempotency-Key": page.idempotencyKey,
            "User-Agent": "tocsind",
        ]
        if let secret = secrets[page.destination] {
            let timestamp = Int64(now.timeIntervalSince1970)
            headers[PageSignature.timestampHeader] = "\(timestamp)"
            headers[PageSignature.header] = PageSignature.sign(body: page.body, secret: secret, timestamp: timestamp)
        }
        return headers
    }

    public func deliver(_ page: OutboundPage) async -> DeliveryResult {
        await transfer(of: page).deliver()
    }

    /// Starts sending `page` and hands the result to `done`, on the transfer thread.
    public func deliver(_ page: OutboundPage, then done: @escaping @Sendable (DeliveryResult) -> Void) {
        transfer(of: page).deliver(then: done)
    }

    private func transfer(of page: OutboundPage) -> HTTPTransfer {
        HTTPTransfer(method: "POST", url: page.url, headers: headers(for: page, now: Date()), body: page.body,
                     connectTimeout: connectTimeout, timeout: timeout)
    }
}
