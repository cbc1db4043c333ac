import Foundation

/// Something Tocsin did about itself rather than about an incident: a message of its fallback
/// alarm, and whom it reached. Sent from memory while the record may be what failed, and
/// written to the record's system timeline once the record works, so that a review can read
/// when Tocsin could not work and who was told.
public struct SystemEvent: Sendable, Hashable, Encodable {
    public var at: Date
    public var kind: String
    public var detail: [String: String]

    public init(at: Date, kind: String, detail: [String: String]) {
        self.at = at
        self.kind = kind
        self.detail = detail
    }

    /// The event for a fallback message, with what each contact's attempt came to.
    public init(_ message: FallbackMessage, reached: [String]) {
        self.init(at: message.at, kind: "fallback_\(message.kind.rawValue)",
                  detail: ["text": message.text, "since": UTCTime.string(message.since), "number": "\(message.number)",
                           "contacts": reached.joined(separator: "; ")])
    }

    private enum CodingKeys: String, CodingKey { case at, kind, detail }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(UTCTime.string(at), forKey: .at)
        try container.encode(kind, forKey: .kind)
        try container.encode(detail, forKey: .detail)
    }
}
