/// Who is paged, in which order, while nobody acknowledges.
///
/// A policy is copied into the incident when it opens, so later config edits do not change
/// an escalation already under way.
public struct EscalationPolicy: Sendable, Hashable, Codable {
    public var steps: [EscalationStep]

    public init(steps: [EscalationStep]) {
        self.steps = steps
    }

    /// Offset of step `index` from the moment the incident opened.
    public func offset(ofStep index: Int) -> Duration {
        steps.prefix(index + 1).reduce(.zero) { $0 + $1.delay }
    }
}

/// One level of an escalation: whom to page, and how long after the previous step.
public struct EscalationStep: Sendable, Hashable, Codable {
    /// Wait after the previous step (after opening, for the first) before paging.
    public var delay: Duration
    public var targets: [EscalationTarget]

    public init(delay: Duration, targets: [EscalationTarget]) {
        self.delay = delay
        self.targets = targets
    }

    private enum CodingKeys: String, CodingKey { case delaySeconds = "delay_seconds", targets }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        delay = .milliseconds(Int64((try container.decode(Double.self, forKey: .delaySeconds) * 1000).rounded()))
        targets = try container.decode([EscalationTarget].self, forKey: .targets)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(delay.seconds, forKey: .delaySeconds)
        try container.encode(targets, forKey: .targets)
    }
}

/// Whom an escalation step pages, written `fault_analyst.primary`, `leadership.backup`
/// or `person:chen.wei`.
public enum EscalationTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case role(Role, Holder)
    case person(String)

    /// Parses the written form; nil when it is neither `ROLE[.primary|.backup]` nor `person:ID`.
    public init?(text: String) {
        if text.hasPrefix("person:") {
            let id = String(text.dropFirst("person:".count))
            guard !id.isEmpty else { return nil }
            self = .person(id)
            return
        }
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard let name = parts.first, !name.isEmpty, let holder = parts.count == 2 ? Holder(rawValue: parts[1]) : .primary else {
            return nil
        }
        self = .role(Role(name), holder)
    }

    public var description: String {
        switch self {
        case .role(let role, let holder): "\(role).\(holder.rawValue)"
        case .person(let id): "person:\(id)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let target = EscalationTarget(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected ROLE.primary, ROLE.backup or person:ID, got \"\(text)\"")
        }
        self = target
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
