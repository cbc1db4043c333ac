import Foundation
import GRDB
import TocsinCore

extension IncidentStore {
    /// Starts an incident's escalation at `start`: when it opens, or when the silence that held
    /// it ends. A first step without delay pages within this transaction; otherwise step 0
    /// becomes a timer row. Later steps count from `start`.
    static func startPaging(incidentID: Int64, at start: Date, policy: EscalationPolicy, rules: ResponseRules, in db: Database) throws {
        if policy.steps.first?.delay == .zero {
            try escalate(incidentID: incidentID, step: 0, dueAt: start, rules: rules, in: db)
        } else {
            try scheduleEscalation(step: 0, incidentID: incidentID, openedAt: start, policy: policy, in: db)
        }
    }
}
