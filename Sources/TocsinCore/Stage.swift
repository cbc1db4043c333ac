/// Where an incident is in the payment platform's emergency procedure.
public enum Stage: String, Sendable, Codable, CaseIterable, Hashable {
    case reported
    case assessing
    case tradingStopped = "trading_stopped"
    case recovering
    case reconciling
    case closed
}
