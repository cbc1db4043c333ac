import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// Post-incident review: exports of one incident and response figures across incidents.
///
/// Only reviewers, commanders and leadership may read these, and every export is itself
/// recorded on the incident's timeline.
struct ReviewRoutes {
    let incidents: IncidentRoutes

    var engine: Engine { incidents.engine }

    func add(to router: RouteTable) {
        router.post("/api/v1/incidents/:id/export") { request, context -> Response in
            let person = try incidents.auth.person(of: request, doing: "exporting an incident")
            let id = try context.parameters.incidentID()
            let query = request.uri.queryParameters
            let name = query.get("format") ?? "json"
            guard let format = ExportFormat(rawValue: name) else {
                throw Problem.badRequest("Unknown export format \"\(name)\"; choose one of: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let zoneName = query.get("tz") ?? engine.rules.roster.people[person]?.timeZone ?? "UTC"
            guard let zone = TimeZone(identifier: zoneName) else {
                throw Problem.badRequest("Unknown time zone \"\(zoneName)\"; use an IANA name such as Asia/Shanghai.")
            }
            return try export(id, as: format, by: person, zone: zone, disposition: "inline")
        }
        router.get("/api/v1/reports/response") { request, _ -> Response in
            let person = try incidents.auth.person(of: request, doing: "reading the response report")
            try requireReviewer(person, commanderOfIncident: nil)
            let query = request.uri.queryParameters
            func date(_ name: String) throws -> Date {
                guard let text = query.get(name) else { throw Problem.badRequest("Missing query parameter \(name) (a date such as 2026-11-01 or an ISO 8601 time).") }
                guard let date = UTCTime.date(text) ?? UTCTime.date(text + "T00:00:00Z") else {
                    throw Problem.badRequest("\(name)=\(text) is not a date such as 2026-11-01 or an ISO 8601 time.")
                }
                return date
            }
            let from = try date("from"), to = try date("to")
            guard from < to else { throw Problem.badRequest("from must be before to.") }
            let report = try self.report(from: from, to: to)
            switch query.get("format") ?? "json" {
            case "json": return try jsonResponse(report)
            case "html": return textResponse(report.html, contentType: "text/html; charset=utf-8")
            case "text": return textResponse(report.text, contentType: "text/plain; charset=utf-8")
            case let other: throw Problem.badRequest("Unknown report format \"\(other)\"; choose json, text or html.")
            }
        }
    }

    /// Incident `id` exported as `format` for `person`, the export recorded on its timeline;
    /// the console's download form comes here too.
    func export(_ id: Int64, as format: ExportFormat, by person: String, zone: TimeZone, disposition: String) throws -> Response {
        let commander = try incidents.found { try engine.store.procedureRecord(id) }.roles.commander
        try requireReviewer(person, commanderOfIncident: commander)
        let now = engine.clock.now()
        let (incident, record, events) = try incidents.found { try engine.store.recordExport(of: id, by: person, format: format.rawValue, now: now) }
        let runbook = incident.runbookID.flatMap { runbookID in engine.rules.runbooks.first { $0.id == runbookID } }
        let export = IncidentExport(incident: incident, record: record, events: events, runbook: runbook, roster: engine.rules.roster,
                                    viewer: zone, exportedBy: person, exportedAt: now)
        var headers: HTTPFields = [.contentType: format.contentType]
        headers[.contentDisposition] = "\(disposition); filename=\"incident-\(id).\(format == .markdown ? "md" : format.rawValue)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try export.rendered(as: format))))
    }

    /// The response figures for incidents opened from `from` to `to`.
    func report(from: Date, to: Date) throws -> ResponseReport {
        ResponseReport(from: from, to: to, incidents: try engine.store.incidents(openedFrom: from, to: to))
    }

    func requireReviewer(_ person: String, commanderOfIncident: String?) throws {
        let roster = engine.rules.roster
        let roles = roster.roles(of: person)
        guard person == commanderOfIncident || roles.contains(.reviewer) || roles.contains(.leadership) || roles.contains(.faultAnalyst) else {
            throw Problem(.forbidden, "Reviewers only",
                          detail: "\(person) may not read exports or response figures; that takes the reviewer, commander (fault_analyst) or leadership role.")
        }
    }
}
