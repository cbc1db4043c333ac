/// What a drill's stop-trade or resume-trade call gets instead of the platform's trade switch,
/// which a drill never calls.
public enum DrillTradeSwitch {
    /// The answer a scripted failure gives; a failure with it is one the script injected.
    public static let scriptedFailure = "DRILL: scripted failure, the trade switch did not confirm"
    /// The answer when no drill endpoint is configured.
    public static let simulated = "DRILL: simulated, the trade switch was not called"

    /// Whether the drill's script has a failure of the call waiting: a `trade_switch_fails`
    /// injection that no scripted failure has answered yet.
    public static func failureArmed(_ events: [TimelineEvent]) -> Bool {
        let injected = events.filter { $0.kind == .drillInjected && $0.detail["injection"] == DrillInjection.Kind.tradeSwitchFails.rawValue }.count
        let answered = events.filter { $0.kind == .tradeSwitchFailed && $0.detail["answer"] == scriptedFailure }.count
        return injected > answered
    }
}
