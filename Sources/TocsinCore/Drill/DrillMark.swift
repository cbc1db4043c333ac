/// The word that opens everything a drill sends, so that nobody takes a rehearsal for a fault.
public enum DrillMark {
    public static let word = "DRILL"

    /// `text` opened by the mark when `drill`.
    public static func marked(_ text: String, drill: Bool) -> String {
        drill ? "\(word): \(text)" : text
    }

    /// `text` without the mark `marked` put on it.
    static func unmarked(_ text: String) -> String {
        text.hasPrefix("\(word): ") ? String(text.dropFirst(word.count + 2)) : text
    }
}
