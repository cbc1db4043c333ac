import Foundation
import TocsinCore

/// The alerts that make up the incident, with their summaries and labels as the sources sent
/// them (and so escaped like everything else from outside).
struct AlertsView {
    var alerts: [AlertRecord]

    var html: HTML {
        guard !alerts.isEmpty else { return .empty }
        let rows = alerts.map { alert -> HTML in
            let labels = alert.report.labels.keys.sorted().map { key -> HTML in "<li><code>\(key)=\(alert.report.labels[key] ?? "")</code></li>" }
            return """
                <li class="alert"><strong class="summary">\(alert.report.summary)</strong> <span class="quiet">from \(alert.report.source),
                \(alert.report.status.rawValue), received \(alert.receiveCount)×, last at \(Moments.text(alert.lastReceivedAt))</span>
                <ul class="labels">\(labels)</ul></li>
                """
        }
        return "<section aria-labelledby=\"alerts-heading\"><h2 id=\"alerts-heading\">Alerts</h2><ul class=\"alerts\">\(rows)</ul></section>"
    }
}
