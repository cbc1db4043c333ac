import Crypto
import Foundation

/// A page waiting in the outbox that may be folded into a bundle: a first attempt to a
/// flooded destination.
public struct WaitingPage: Sendable, Hashable {
    public var id: Int64
    public var incidentID: Int64
    public var idempotencyKey: String
    public var person: String
    public var channel: String
    public var flavour: ContactFlavour
    public var urlTemplate: String
    /// The page's message as JSON.
    public var message: String
    public var isExternal: Bool

    public init(id: Int64, incidentID: Int64, idempotencyKey: String, person: String, channel: String, flavour: ContactFlavour,
                urlTemplate: String, message: String, isExternal: Bool) {
        self.id = id
        self.incidentID = incidentID
        self.idempotencyKey = idempotencyKey
        self.person = person
        self.channel = channel
        self.flavour = flavour
        self.urlTemplate = urlTemplate
        self.message = message
        self.isExternal = isExternal
    }
}

/// One message carrying all of a flooded destination's waiting pages, keyed by the pages it
/// carries so that bundling the same pages again gives the same key.
public struct BundledPage: Sendable, Hashable {
    public var page: PageRequest
    /// The pages it carries.
    public var members: [WaitingPage]

    /// Bundles `members` (pages to one destination, at least one) at `now`.
    public init(_ members: [WaitingPage], now: Date) throws {
        let first = members[0]
        let messages = try members.map { try JSONText.decoder.decode(PageMessage.self, from: Data($0.message.utf8)) }
        let method = ContactMethod(channel: first.channel, webhookURL: first.urlTemplate, flavour: first.flavour)
        let digest = HexText.string(SHA256.hash(data: Data(members.map(\.idempotencyKey).joined(separator: "\n").utf8)).prefix(8))
        page = PageRequest(incidentID: first.incidentID, idempotencyKey: "bundle/\(first.person)/\(method.channel)/\(digest)", person: first.person,
                           isExternal: first.isExternal, method: method, rendered: PageRendering.request(for: messages, to: method), kind: .bundle, sendAt: now, createdAt: now)
        self.members = members
    }

    /// The events recording, on each carried page's incident, that it went out in the bundle.
    public func events(at now: Date) -> [RecordChange] {
        members.map { member in
            .event(TimelineEntry(.pageBundled, incident: member.incidentID, at: now,
                                 detail: ["person": page.person, "channel": page.channel, "idempotency_key": member.idempotencyKey,
                                          "bundle": page.idempotencyKey, "bundled_pages": "\(members.count)"]))
        }
    }
}
