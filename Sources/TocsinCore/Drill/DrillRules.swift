/// How drills run and are judged (`drills:` in tocsin.yaml).
public struct DrillRules: Sendable, Hashable {
    /// Where a drill's stop-trade and resume-trade calls go instead of the platform; nil to
    /// record them as simulated.
    public var tradeSwitchURL: String?
    public var targets: ScorecardTargets

    public init(tradeSwitchURL: String? = nil, targets: ScorecardTargets = ScorecardTargets()) {
        self.tradeSwitchURL = tradeSwitchURL
        self.targets = targets
    }
}

/// What a drill's scorecard measures against; the defaults are the emergency plan's.
public struct ScorecardTargets: Sendable, Hashable {
    /// How soon each incident role should first act on the incident after it opened.
    public var acknowledge: [IncidentRole: Duration]
    /// Root cause and recovery plan recorded within this of the opening.
    public var rootCause: Duration
    /// How often each recurring update is owed.
    public var cadences: [UpdateKind: Duration]

    public init(acknowledge: [IncidentRole: Duration] = [.commander: .seconds(300), .coordinator: .seconds(900), .businessLead: .seconds(900), .executor: .seconds(900)],
                rootCause: Duration = .seconds(3600),
                cadences: [UpdateKind: Duration] = [.bulletin: .seconds(1800), .business: .seconds(3600)]) {
        self.acknowledge = acknowledge
        self.rootCause = rootCause
        self.cadences = cadences
    }
}
