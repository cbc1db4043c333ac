/// The configured clocks and notice lists of the emergency procedure.
public struct ProcedureRules: Sendable, Hashable {
    /// Root cause and recovery plan are due this long after the incident enters `assessing`.
    public var assessmentDeadline: Duration
    /// How often each recurring update is owed, by severity; a severity not listed uses `defaultCadences`.
    public var cadences: [Severity: [UpdateKind: Duration]]
    public var defaultCadences: [UpdateKind: Duration]
    /// The report upward is due this long after classification; nil when not required.
    public var regulatoryReportWithin: Duration?
    /// Regulators' regimes enabled beside the plan's upward report (DORA, NIS2, or one of the configuration's own).
    public var regimes: [RegulatoryRegime]
    /// The owner is reminded this long before an update is due.
    public var reminderLead: Duration
    /// After a missed update the role's backup is paged at once and leadership after this grace.
    public var missedGrace: Duration
    /// Who hears of every stage change, besides the incident's own roles.
    public var stageNotices: [EscalationTarget]
    /// The payment platform's trade switch; nil when Tocsin is not to call it.
    public var tradeSwitch: TradeSwitch?

    public init(
        assessmentDeadline: Duration = .seconds(3600),
        cadences: [Severity: [UpdateKind: Duration]] = [:],
        defaultCadences: [UpdateKind: Duration] = [.bulletin: .seconds(1800), .business: .seconds(3600)],
        regulatoryReportWithin: Duration? = .seconds(4 * 3600),
        reminderLead: Duration = .seconds(300),
        missedGrace: Duration = .seconds(600),
        stageNotices: [EscalationTarget] = [.role(.leadership, .primary), .role(.technicalCoordinator, .primary), .role(.business, .primary)],
        tradeSwitch: TradeSwitch? = nil,
        regimes: [RegulatoryRegime] = []
    ) {
        self.regimes = regimes
        self.assessmentDeadline = assessmentDeadline
        self.cadences = cadences
        self.defaultCadences = defaultCadences
        self.regulatoryReportWithin = regulatoryReportWithin
        self.reminderLead = reminderLead
        self.missedGrace = missedGrace
        self.stageNotices = stageNotices
        self.tradeSwitch = tradeSwitch
    }

    /// Recurring updates owed for an incident of `severity`, and how often.
    public func cadences(for severity: Severity) -> [UpdateKind: Duration] {
        cadences[severity] ?? defaultCadences
    }
}

/// Where the payment platform takes stop-trade and resume-trade orders.
public struct TradeSwitch: Sendable, Hashable {
    public var stopURL: String
    public var resumeURL: String
    /// Sent as a bearer token, when the platform asks for one.
    public var token: String?

    public init(stopURL: String, resumeURL: String, token: String? = nil) {
        self.stopURL = stopURL
        self.resumeURL = resumeURL
        self.token = token
    }
}
