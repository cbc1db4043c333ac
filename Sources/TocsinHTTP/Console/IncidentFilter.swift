import Foundation
import TocsinCore

/// The incidents list narrowed by severity, stage and service, from the list's GET form
/// (`/?severity=SEV1&stage=assessing&service=payments-core`); an empty choice is "any".
struct IncidentFilter: Sendable, Hashable {
    var severity: Severity?
    var stage: Stage?
    var service: String?

    init(severity: String?, stage: String?, service: String?) {
        self.severity = severity.flatMap { Severity(name: $0) }
        self.stage = stage.flatMap(Stage.init(rawValue:))
        self.service = service.flatMap { $0.isEmpty ? nil : $0 }
    }

    func matches(_ incident: Incident) -> Bool {
        (severity == nil || incident.severity == severity) && (stage == nil || incident.stage == stage)
            && (service == nil || incident.service == service)
    }

    /// The filter as a query string (`severity=SEV1&stage=assessing`), empty when none is set.
    var query: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = [("severity", severity?.description), ("stage", stage?.rawValue), ("service", service)]
        return pairs.compactMap { name, value in value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" } }
            .joined(separator: "&")
    }

    /// The form that sets the filter; `services` are those the list knows of.
    func form(services: [String]) -> HTML {
        func select(_ name: String, _ label: String, _ options: [String], _ chosen: String?) -> HTML {
            let items = ([""] + options).map { option -> HTML in
                let selected: HTML = option == (chosen ?? "") ? " selected" : .empty
                return "<option value=\"\(option)\"\(selected)>\(option.isEmpty ? "any" : option)</option>"
            }
            return "<label for=\"filter-\(name)\">\(label)</label><select id=\"filter-\(name)\" name=\"\(name)\">\(items)</select>"
        }
        let severities = (1...4).map { "SEV\($0)" }, stages = Stage.allCases.map(\.rawValue)
        return """
            <form class="filter" method="get" action="/">\(select("severity", "Severity", severities, severity?.description))
            \(select("stage", "Stage", stages, stage?.rawValue))\(select("service", "Service", services, service))
            <button type="submit">Show</button></form>
            """
    }
}
