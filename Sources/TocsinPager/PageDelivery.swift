import Foundation
import TocsinCore

/// Sends pages from the outbox to people's webhooks.
///
/// Each request carries an `Idempotency-Key` that stays the same across retries and
/// restarts, so a receiver can drop the duplicates at-least-once delivery can produce.
public struct PageDelivery: Sendable {
    public var timeout: Duration

    public init(timeout: Duration = .seconds(10)) {
        self.timeout = timeout
    }

    public func deliver(_ page: OutboundPage) async -> DeliveryResult {
        let transfer = HTTPTransfer(
            method: "POST", url: page.url,
            headers: [
                "Content-Type": "application/json",
                "Idempotency-Key": page.idempotencyKey,
                "User-Agent": "tocsind",
            ],
            body: page.body, timeout: timeout
        )
        return await transfer.deliver()
    }
}
