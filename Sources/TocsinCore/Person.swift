import Foundation

/// Someone who can be paged: staff, or an external vendor's engineer.
public struct Person: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// IANA zone, so exports can show the person's local time.
    public var timeZone: String
    public var contactMethods: [ContactMethod]
    /// Vendors and outsourced staff: told after internal people, as the plan asks.
    public var isExternal: Bool

    public init(id: String, name: String, timeZone: String = "UTC", contactMethods: [ContactMethod], isExternal: Bool = false) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.contactMethods = contactMethods
        self.isExternal = isExternal
    }
}

/// One way to reach a person.
public struct ContactMethod: Sendable, Hashable, Codable {
    /// Short name used in idempotency keys and the timeline, such as `webhook` or `phone`.
    public var channel: String
    /// Where the page is POSTed.
    public var webhookURL: String

    public init(channel: String = "webhook", webhookURL: String) {
        self.channel = channel
        self.webhookURL = webhookURL
    }
}
