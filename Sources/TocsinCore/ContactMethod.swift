import Foundation

/// One way to reach a person: where a page goes, in which shape, and how long after the
/// escalation step it is sent.
///
/// Several methods with delays let a person be tried on chat first and by SMS a few
/// minutes later if they have not acknowledged by then.
public struct ContactMethod: Sendable, Hashable, Codable {
    /// Short name used in idempotency keys and the timeline, such as `webhook`, `slack` or `sms`.
    public var channel: String
    /// Where the page is POSTed; for the SMS flavour, a URL template holding `{message}`.
    public var webhookURL: String
    public var flavour: ContactFlavour
    /// Wait after the escalation step fires before this method is used.
    public var delay: Duration
    /// Secret for the `X-Tocsin-Signature` header, so the receiver can tell a page is genuine.
    public var signingSecret: String?
    /// How many messages this destination takes before pages are bundled; nil uses the default.
    public var rateLimit: RateLimit?

    public init(channel: String = "webhook", webhookURL: String, flavour: ContactFlavour = .json, delay: Duration = .zero,
                signingSecret: String? = nil, rateLimit: RateLimit? = nil) {
        self.channel = channel
        self.webhookURL = webhookURL
        self.flavour = flavour
        self.delay = delay
        self.signingSecret = signingSecret
        self.rateLimit = rateLimit
    }

    /// Why this method could never deliver a page, or nil when it could.
    public var problem: String? {
        guard webhookURL.hasPrefix("http://") || webhookURL.hasPrefix("https://") else {
            return "expected an http:// or https:// URL, got \"\(webhookURL)\""
        }
        if flavour == .sms {
            guard webhookURL.contains(PageRendering.messagePlaceholder) else {
                return "an SMS gateway URL template must contain \(PageRendering.messagePlaceholder) where the text goes"
            }
            guard URL(string: webhookURL.replacingOccurrences(of: PageRendering.messagePlaceholder, with: "x")) != nil else {
                return "not a valid URL template: \"\(webhookURL)\""
            }
        } else if URL(string: webhookURL) == nil {
            return "not a valid URL: \"\(webhookURL)\""
        }
        return nil
    }
}

/// The shape a receiver expects a page in.
public enum ContactFlavour: String, Sendable, Hashable, Codable, CaseIterable {
    /// Tocsin's own JSON page (`PageMessage`).
    case json
    /// A Slack-compatible incoming webhook: `{"text": "…"}`.
    case slack
    /// An SMS gateway called by URL: the text goes into the URL template's `{message}`.
    case sms
}

/// At most `messages` messages to one destination within `per`; more are bundled into one.
public struct RateLimit: Sendable, Hashable, Codable {
    public var messages: Int
    public var per: Duration

    public init(messages: Int, per: Duration) {
        self.messages = messages
        self.per = per
    }

    /// No bundling at all.
    public static let unlimited = RateLimit(messages: Int.max, per: .zero)

    /// Whether this limit never holds back or bundles anything.
    public var isUnlimited: Bool { messages == Int.max || per <= .zero }
}
