import Foundation
import TocsinCore
import TocsinPager

extension Engine {
    /// Sends a message that belongs to no incident (a sign-in link) straight to `person`,
    /// trying their contact methods in order until one takes it. Nothing in the record waits
    /// on it, so it goes from memory, as the fallback alarm does; returns whether one did.
    public func sendDirect(json: Data, text: String, to person: Person, key: String) async -> Bool {
        for method in person.contactMethods where method.problem == nil {
            let rendered = PageRendering.request(json: json, text: text, to: method)
            let page = OutboundPage(id: 0, incidentID: 0, idempotencyKey: key, person: person.id, channel: method.channel,
                                    url: rendered.url, body: rendered.body, contentType: rendered.contentType, isExternal: person.isExternal)
            if await current.delivery.deliver(page).delivered { return true }
        }
        return false
    }
}
