import Foundation

/// Someone who can be paged: staff, or an external vendor's engineer.
public struct Person: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// IANA zone, so exports and `tocsin oncall` can show the person's local time.
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

    /// True when at least one contact method could carry a page.
    public var isReachable: Bool { contactMethods.contains { $0.problem == nil } }
}
