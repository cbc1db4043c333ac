/// Who is paged, in which order, while nobody acknowledges.
///
/// A policy is copied into the incident when it opens, so later config edits do not change
/// an escalation already under way.
public struct EscalationPolicy: Sendable, Hashable, Codable {
    public var steps: [EscalationStep]
    /// How many more times the whole policy runs after its last step if still unacknowledged.
    public var repeatCount: Int
    /// Wait after the last step before a repeat starts again at step 0.
    public var repeatAfter: Duration
    /// After this long an acknowledged but unresolved incident is paged again from the start;
    /// nil turns the timeout off.
    public var ackTimeout: Duration?

    public static let defaultAckTimeout = Duration.seconds(30 * 60)

    public init(steps: [EscalationStep], repeatCount: Int = 0, repeatAfter: Duration? = nil, ackTimeout: Duration? = EscalationPolicy.defaultAckTimeout) {
        self.steps = steps
        self.repeatCount = repeatCount
        let last = steps.last?.delay ?? .zero
        self.repeatAfter = repeatAfter ?? (last > .zero ? last : .seconds(300))
        self.ackTimeout = ackTimeout
    }

    /// Offset of step `index` from the start of a pass through the policy.
    public func offset(ofStep index: Int) -> Duration {
        steps.prefix(index + 1).reduce(.zero) { $0 + $1.delay }
    }

    private enum CodingKeys: String, CodingKey {
        case steps, repeatCount = "repeat", repeatAfterSeconds = "repeat_after_seconds", ackTimeoutSeconds = "ack_timeout_seconds"
    }

    // Incidents opened before repeats and acknowledgement timeouts existed stored only `steps`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let steps = try container.decode([EscalationStep].self, forKey: .steps)
        let repeatAfter = try container.decodeIfPresent(Double.self, forKey: .repeatAfterSeconds).map(Duration.fromSeconds)
        let ackTimeout: Duration?
        if container.contains(.ackTimeoutSeconds) {
            ackTimeout = try container.decodeIfPresent(Double.self, forKey: .ackTimeoutSeconds).map(Duration.fromSeconds)
        } else {
            ackTimeout = nil
        }
        self.init(steps: steps, repeatCount: try container.decodeIfPresent(Int.self, forKey: .repeatCount) ?? 0,
                  repeatAfter: repeatAfter, ackTimeout: ackTimeout)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(steps, forKey: .steps)
        try container.encode(repeatCount, forKey: .repeatCount)
        try container.encode(repeatAfter.seconds, forKey: .repeatAfterSeconds)
        try container.encode(ackTimeout?.seconds, forKey: .ackTimeoutSeconds)
    }
}

/// One level of an escalation: whom to page, and how long after the previous step.
public struct EscalationStep: Sendable, Hashable, Codable {
    /// Wait after the previous step (after the pass starts, for the first) before paging.
    public var delay: Duration
    public var targets: [EscalationTarget]
    /// When true the escalation stops only once every person this step paged has acknowledged.
    public var everyoneMustAcknowledge: Bool

    public init(delay: Duration, targets: [EscalationTarget], everyoneMustAcknowledge: Bool = false) {
        self.delay = delay
        self.targets = targets
        self.everyoneMustAcknowledge = everyoneMustAcknowledge
    }

    private enum CodingKeys: String, CodingKey { case delaySeconds = "delay_seconds", targets, everyoneMustAcknowledge = "everyone_must_ack" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        delay = .fromSeconds(try container.decode(Double.self, forKey: .delaySeconds))
        targets = try container.decode([EscalationTarget].self, forKey: .targets)
        everyoneMustAcknowledge = try container.decodeIfPresent(Bool.self, forKey: .everyoneMustAcknowledge) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delay.seconds, forKey: .delaySeconds)
        try container.encode(targets, forKey: .targets)
        try container.encode(everyoneMustAcknowledge, forKey: .everyoneMustAcknowledge)
    }
}

/// Whom an escalation step pages, written `fault_analyst.primary`, `leadership.backup`,
/// `person:chen.wei` or `rotation:commanders`.
public enum EscalationTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case role(Role, Holder)
    case person(String)
    case rotation(String)

    /// Parses the written form; nil when it is none of `ROLE[.primary|.backup]`, `person:ID`, `rotation:ID`.
    public init?(text: String) {
        for (prefix, make) in [("person:", EscalationTarget.person), ("rotation:", EscalationTarget.rotation)] where text.hasPrefix(prefix) {
            let id = String(text.dropFirst(prefix.count))
            guard !id.isEmpty else { return nil }
            self = make(id)
            return
        }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard let name = parts.first, !name.isEmpty, !name.contains(":"),
              let holder = parts.count == 2 ? Holder(rawValue: parts[1]) : .primary else {
            return nil
        }
        self = .role(Role(name), holder)
    }

    public var description: String {
        switch self {
        case .role(let role, let holder): "\(role).\(holder.rawValue)"
        case .person(let id): "person:\(id)"
        case .rotation(let id): "rotation:\(id)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let target = EscalationTarget(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected ROLE.primary, ROLE.backup, person:ID or rotation:ID, got \"\(text)\"")
        }
        self = target
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Duration {
    /// A duration from seconds, kept to the millisecond.
    public static func fromSeconds(_ seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
