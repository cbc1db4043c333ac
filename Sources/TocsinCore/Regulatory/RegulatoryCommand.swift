import Foundation

/// Something a person records about an incident's regulatory reports.
public enum RegulatoryCommand: Sendable, Hashable {
    /// The incident is major under `regime`: its clocks start.
    case declare(regime: String, reason: String)
    /// `report` of `regime` went to the regulator, who gave it `reference`. A report already
    /// submitted is submitted again as a correction: its next version.
    case submit(regime: String, report: String, reference: String, submittedAt: Date?, note: String?)
}
