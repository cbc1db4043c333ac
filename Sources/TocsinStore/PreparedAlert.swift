import TocsinCore

/// An alert report with the text the store writes of it (labels and details as JSON) made in
/// advance, by the request that brought it. The commit thread, which every request shares,
/// then only looks up, binds and inserts.
public struct PreparedAlert: Sendable {
    public let report: AlertReport
    package let labelsJSON: String
    package let detailsJSON: String

    public init(_ report: AlertReport) {
        self.report = report
        labelsJSON = JSONText.encode(report.labels)
        detailsJSON = JSONText.encode(report.details)
    }
}
