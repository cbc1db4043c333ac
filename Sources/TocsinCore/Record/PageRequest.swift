import Foundation

/// A message a decision puts in the page outbox: rendered for its contact method and keyed so
/// that queuing it again (a replayed timer, another instance) adds nothing.
public struct PageRequest: Sendable, Hashable {
    /// What the message is: a page asks for an acknowledgement, a notice informs, a bundle
    /// carries a flooded person's pages in one message.
    public enum Kind: String, Sendable, Hashable {
        case page, notice, bundle
    }

    /// `PageRequest.noIncident` for a message about a person's duty.
    public var incidentID: Int64
    public var idempotencyKey: String
    public var person: String
    public var channel: String
    public var url: String
    public var body: Data
    public var contentType: String
    public var kind: Kind
    public var sendAt: Date
    public var createdAt: Date
    public var pass: Int
    public var step: Int?
    public var flavour: ContactFlavour
    /// The contact method's URL before rendering, kept so that pages can be bundled later.
    public var urlTemplate: String
    /// The page's message as JSON, kept so that pages can be bundled later; nil for notices.
    public var message: String?
    public var isExternal: Bool

    public init(incidentID: Int64, idempotencyKey: String, person: String, isExternal: Bool, method: ContactMethod, rendered: RenderedPage, kind: Kind,
                sendAt: Date, createdAt: Date, pass: Int = 0, step: Int? = nil, message: String? = nil) {
        self.incidentID = incidentID
        self.idempotencyKey = idempotencyKey
        self.person = person
        self.channel = method.channel
        self.url = rendered.url
        self.body = rendered.body
        self.contentType = rendered.contentType
        self.kind = kind
        self.sendAt = sendAt
        self.createdAt = createdAt
        self.pass = pass
        self.step = step
        self.flavour = method.flavour
        self.urlTemplate = method.webhookURL
        self.message = message
        self.isExternal = isExternal
    }

    public var audience: String { isExternal ? "external" : "internal" }

    /// One person's one contact method, as `OutboundPage.destination`.
    public var destination: String { "\(person)/\(channel)" }

    /// The incident of a message that belongs to none (a shift's start, a handover): incident
    /// ids start at 1. The record keeps no incident for it, and its entries go on the system
    /// timeline.
    public static let noIncident: Int64 = 0
}
