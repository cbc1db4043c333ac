import Foundation

/// Turns one message, or a bundle of several, into the request a contact flavour expects.
public enum PageRendering {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Where an SMS gateway URL template takes the text.
    public static let messagePlaceholder = "{message}"

    /// The request for `messages` (one, or a bundle) to `method`.
    public static func request(for messages: [PageMessage], to method: ContactMethod) -> RenderedPage {
        switch method.flavour {
        case .json:
            let body: Data
            if messages.count == 1 {
                body = (try? encoder.encode(messages[0])) ?? Data()
            } else {
                body = (try? encoder.encode(PageBundle(pages: messages))) ?? Data()
            }
            return RenderedPage(url: method.webhookURL, body: body, contentType: "application/json")
        case .slack:
            let body = (try? encoder.encode(["text": text(for: messages)])) ?? Data()
            return RenderedPage(url: method.webhookURL, body: body, contentType: "application/json")
        case .sms:
            let text = text(for: messages)
            let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
            return RenderedPage(url: method.webhookURL.replacingOccurrences(of: messagePlaceholder, with: encoded),
                                body: Data(text.utf8), contentType: "text/plain; charset=utf-8")
        }
    }

    /// The request for a message already encoded as `json`, reading `text` where the flavour
    /// takes words (a notice, which asks for no acknowledgement).
    public static func request(json: Data, text: String, to method: ContactMethod) -> RenderedPage {
        switch method.flavour {
        case .json:
            return RenderedPage(url: method.webhookURL, body: json, contentType: "application/json")
        case .slack:
            return RenderedPage(url: method.webhookURL, body: (try? encoder.encode(["text": text])) ?? Data(), contentType: "application/json")
        case .sms:
            let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
            return RenderedPage(url: method.webhookURL.replacingOccurrences(of: messagePlaceholder, with: encoded),
                                body: Data(text.utf8), contentType: "text/plain; charset=utf-8")
        }
    }

    static func text(for messages: [PageMessage]) -> String {
        guard messages.count > 1 else { return messages.first?.text ?? "" }
        let incidents = Set(messages.map(\.incidentID)).sorted()
        let drill = messages.allSatisfy { $0.drill == true } ? "\(DrillMark.word): " : ""
        return (["\(drill)\(messages.count) pages for \(incidents.count) incident(s) held back while you were flooded:"] + messages.map { "- \($0.text)" })
            .joined(separator: "\n")
    }
}

/// Several pages sent as one JSON message when a person is flooded.
public struct PageBundle: Sendable, Hashable, Codable {
    public var bundle = true
    public var count: Int
    public var pages: [PageMessage]

    public init(pages: [PageMessage]) {
        self.count = pages.count
        self.pages = pages
    }
}

/// A rendered page: where it goes and what is sent.
public struct RenderedPage: Sendable, Hashable {
    public var url: String
    public var body: Data
    public var contentType: String
}
