import Foundation

/// The alarm Tocsin raises about itself when it cannot do its work: sent straight to the
/// configured fallback contacts, from memory, because the record it would page through may be
/// what failed. Raised once when the daemon stops being ready, repeated at an interval while it
/// stays so, and followed by a recovery message when it is ready again.
public struct FallbackAlarm: Sendable, Hashable {
    /// When the current alarm was raised; nil while all is well.
    public private(set) var raisedAt: Date?
    public private(set) var lastSentAt: Date?
    /// Messages sent for the current alarm, the raising one included.
    public private(set) var sent = 0

    public init() {}

    /// What to send now, given whether the daemon is `readiness`, and the alarm after it.
    public mutating func next(_ readiness: Readiness, now: Date, repeatEvery: Duration) -> FallbackMessage? {
        switch (raisedAt, readiness.ready) {
        case (nil, true):
            return nil
        case (nil, false):
            raisedAt = now
            return send(.raised, reasons: readiness.reasons, now: now)
        case (let since?, false):
            guard let last = lastSentAt, now.timeIntervalSince(last) >= repeatEvery.seconds else { return nil }
            return send(.repeated, reasons: readiness.reasons, now: now, since: since)
        case (let since?, true):
            defer { raisedAt = nil; lastSentAt = nil; sent = 0 }
            return FallbackMessage(kind: .recovered, reasons: [], since: since, at: now, number: sent + 1)
        }
    }

    private mutating func send(_ kind: FallbackMessage.Kind, reasons: [String], now: Date, since: Date? = nil) -> FallbackMessage {
        sent += 1
        lastSentAt = now
        return FallbackMessage(kind: kind, reasons: reasons, since: since ?? now, at: now, number: sent)
    }
}

/// One message of the fallback alarm.
public struct FallbackMessage: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Encodable {
        case raised, repeated, recovered
    }

    public var kind: Kind
    public var reasons: [String]
    /// When the alarm was raised.
    public var since: Date
    public var at: Date
    /// Its place among the alarm's messages; with `since`, what keeps each message's key its own.
    public var number: Int

    /// The words a person reads, in an SMS or a chat message.
    public var text: String {
        switch kind {
        case .raised, .repeated:
            "TOCSIN ITSELF IS FAILING since \(UTCTime.string(since)): pages may not go out. " + reasons.joined(separator: "; ")
        case .recovered:
            "Tocsin works again (failing from \(UTCTime.string(since)) to \(UTCTime.string(at)))."
        }
    }

    /// The key of this message to the fallback contact numbered `contact`, the same however
    /// often it is sent.
    public func idempotencyKey(contact: Int) -> String {
        "tocsin-fallback/\(since.timeIntervalSince1970)/\(number)/\(contact)"
    }

    private enum CodingKeys: String, CodingKey { case kind, reasons, since, at, number, text }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("tocsin_fallback_\(kind.rawValue)", forKey: .kind)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(UTCTime.string(since), forKey: .since)
        try container.encode(UTCTime.string(at), forKey: .at)
        try container.encode(number, forKey: .number)
        try container.encode(text, forKey: .text)
    }
}
