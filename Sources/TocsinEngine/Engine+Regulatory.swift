import TocsinCore

extension Engine {
    /// Records a regulatory declaration or submission now, and wakes the timer loop for the clocks it set.
    public func file(_ command: RegulatoryCommand, on incidentID: Int64, by actor: String) throws {
        try store.file(command, on: incidentID, by: actor, rules: rules, now: clock.now())
        poke()
    }
}
