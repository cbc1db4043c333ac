import Foundation
import TocsinCore
import TocsinPager

extension Engine {
    /// Opens a drill of `runbook` at `severity` with `script`, started by `person`; its first
    /// pages go out as any incident's do.
    public func startDrill(runbook: Runbook, severity: Severity, script: DrillScript, by person: String) throws -> Incident {
        let incident = try store.openDrill(DrillOpening(runbook: runbook, severity: severity, script: script, startedBy: person, rules: rules, at: clock.now()),
                                           rules: rules)
        poke()
        return incident
    }

    /// The drill's scorecard, from its record as it stands.
    public func scorecard(of incidentID: Int64) throws -> DrillScorecard {
        let incident = try store.incident(incidentID)
        let runbook = incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } }
        return DrillScorecard(incident: incident, record: try store.procedureRecord(incidentID), events: try store.timeline(incidentID), runbook: runbook,
                              targets: rules.drills.targets)
    }

    /// Every drill's scorecard, oldest first.
    public func drillHistory() throws -> DrillHistory {
        let drills = try store.incidents(openedFrom: .distantPast, to: .distantFuture).filter { $0.0.isDrill }
        return DrillHistory(scorecards: drills.map { incident, record, events in
            DrillScorecard(incident: incident, record: record, events: events, runbook: incident.runbookID.flatMap { id in rules.runbooks.first { $0.id == id } },
                           targets: rules.drills.targets)
        })
    }

    /// What a drill's stop-trade or resume-trade order gets: the script's failure when one is
    /// waiting, else the drill endpoint's answer, else a simulated success. Never the platform.
    func drillTradeSwitch(stop: Bool, incidentID: Int64, orderedBy: String, what: String?) async throws -> (succeeded: Bool, answer: String) {
        if DrillTradeSwitch.failureArmed(try store.timeline(incidentID)) { return (false, DrillTradeSwitch.scriptedFailure) }
        guard let url = rules.drills.tradeSwitchURL else { return (true, DrillTradeSwitch.simulated) }
        let answer = await TradeSwitchCall(endpoints: TradeSwitch(stopURL: url, resumeURL: url))
            .send(stop: stop, incidentID: incidentID, orderedBy: orderedBy, what: what, drill: true)
        return (answer.succeeded, "DRILL endpoint: \(answer.answer)")
    }

    /// A drill keeps the commands the procedure refused on its timeline (`gate_refused`), which
    /// is how its scorecard learns them; the refused command itself changes nothing, and a real
    /// incident's record is left exactly as it was.
    func recordIfDrill(_ refusal: ProcedureError, of command: ProcedureCommand, on incidentID: Int64, by actor: String) throws {
        guard refusal.isKeptOnDrill, (try? store.incident(incidentID))?.isDrill == true else { return }
        try store.recordRefusal(TimelineEntry(.gateRefused, incident: incidentID, actor: actor, at: clock.now(),
                                              detail: ["action": command.name, "reason": refusal.description]))
    }
}
