/// A drill's silent vendor: once a `vendor_silent` injection fires, nothing the drill sends
/// reaches that person and nothing they answer counts, so the team meets a vendor who really
/// does not answer (the escalation waits on them and moves on, as it would).
public enum DrillSilence {
    /// Why a page was withheld, and why the person's acknowledgement or command was refused.
    public static func reason(_ person: String) -> String {
        "\(DrillMark.word): \(person) is scripted not to answer in this drill"
    }

    /// What a drill records instead of queuing a page to a silent person: the same details,
    /// as a `page_withheld` event, so the page trail shows the page that got no answer.
    static func withheld(_ queued: TimelineEntry) -> RecordChange {
        var entry = queued
        entry.kind = .pageWithheld
        entry.detail["reason"] = reason(queued.detail["person"] ?? "?")
        return .event(entry)
    }
}
