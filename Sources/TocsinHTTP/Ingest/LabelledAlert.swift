import Foundation
import TocsinCore

/// One alert as the Prometheus family writes it: Alertmanager's webhook, its
/// `/api/v2/alerts` and Grafana's webhook all use this shape, with more or fewer fields.
/// Fields Tocsin does not use (Grafana's `values`, `silenceURL`, …) are ignored.
struct LabelledAlert: JSONReadable {
    var status: String?
    var labels: [String: String]
    var annotations: [String: String]?
    var startsAt: String?
    var endsAt: String?
    var generatorURL: String?
    var fingerprint: String?

    init(json: JSONValue) throws(JSONShapeError) {
        let object = try JSONObject(json)
        status = try object.optional("status")
        labels = try object.required("labels")
        annotations = try object.optional("annotations")
        startsAt = try object.optional("startsAt")
        endsAt = try object.optional("endsAt")
        generatorURL = try object.optional("generatorURL")
        fingerprint = try object.optional("fingerprint")
    }

    /// The alert as Tocsin sees it. Its own `status` decides firing or resolved; without one
    /// (Prometheus pushing to `/api/v2/alerts`), an `endsAt` already past means resolved.
    func report(index: Int, integration: Integration, rules: SeverityRules, now: Date, details: [String: String]) throws -> AlertReport {
        guard !labels.isEmpty else { throw IngestFieldError("alerts[\(index)].labels is empty; an alert is identified by its labels.") }
        let state: AlertStatus
        if let text = status {
            guard let value = AlertStatus(rawValue: text) else {
                throw IngestFieldError("alerts[\(index)].status is \"\(text)\"; expected \"firing\" or \"resolved\".")
            }
            state = value
        } else {
            state = try time(endsAt, "endsAt", index).map { $0 <= now } == true ? .resolved : .firing
        }
        let fingerprint = self.fingerprint.flatMap { $0.isEmpty ? nil : $0 } ?? AlertFingerprint.of(labels)
        var details = details
        details["fingerprint"] = fingerprint
        details["generator_url"] = generatorURL.flatMap { $0.isEmpty ? nil : $0 }
        return integration.mapping.report(
            source: integration.name, dedupKey: AlertFingerprint.dedupKey(fingerprint), labels: labels,
            annotations: annotations ?? [:], status: state, startsAt: try time(startsAt, "startsAt", index) ?? now,
            urgency: rules, details: details
        )
    }

    /// Each alert of a payload as Tocsin sees it, all with the payload's `details`; a field
    /// that cannot be used is refused as a bad request saying which alert and that the body is
    /// not `what`.
    static func reports(_ alerts: [LabelledAlert], what: String, integration: Integration, rules: SeverityRules, now: Date,
                        details: [String: String]) throws -> [AlertReport] {
        try alerts.enumerated().map { index, alert in
            do {
                return try alert.report(index: index, integration: integration, rules: rules, now: now, details: details)
            } catch let error as IngestFieldError {
                throw Problem.badRequest("Not \(what): \(error.description)")
            }
        }
    }

    private func time(_ text: String?, _ field: String, _ index: Int) throws -> Date? {
        guard let text else { return nil }
        guard let time = SourceTime(text) else {
            throw IngestFieldError("alerts[\(index)].\(field) is \"\(text)\"; expected an RFC 3339 time such as 2026-11-21T10:00:00Z.")
        }
        return time.date
    }
}
