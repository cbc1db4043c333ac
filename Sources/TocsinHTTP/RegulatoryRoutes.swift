import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// Regulatory reports over HTTP: the enabled regimes, where an incident stands under each, a
/// report's draft from the record (a read that writes nothing), and the two acts that are
/// recorded on the timeline: declaring the incident major, and submitting a report.
struct RegulatoryRoutes {
    let incidents: IncidentRoutes
    let maxBodyBytes: Int

    var engine: Engine { incidents.engine }

    func add(to router: RouteTable) {
        router.get("/api/v1/regulatory/regimes") { request, _ -> Response in
            _ = try incidents.auth.principal(of: request)
            return try jsonResponse(engine.rules.procedure.regulatoryRegimes)
        }
        router.get("/api/v1/incidents/:id/regulatory") { request, context -> Response in
            _ = try incidents.auth.principal(of: request)
            let (incident, record, events) = try read(try context.parameters.incidentID())
            let now = engine.clock.now()
            return try jsonResponse(engine.rules.procedure.regulatoryRegimes.map {
                RegulatoryStanding($0, incident: incident, record: record, events: events, now: now)
            })
        }
        router.get("/api/v1/incidents/:id/regulatory/:regime/:report/draft") { request, context -> Response in
            _ = try incidents.auth.principal(of: request)
            let id = try context.parameters.incidentID()
            let name = request.uri.queryParameters.get("format") ?? "markdown"
            guard let format = DraftFormat(rawValue: name) else {
                throw Problem.badRequest("Unknown draft format \"\(name)\"; choose one of: \(DraftFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let (regime, report) = try regimeReport(context.parameters.get("regime"), context.parameters.get("report"))
            let (incident, record, events) = try read(id)
            let draft = ReportDraft(report, of: regime, incident: incident, record: record, events: events, now: engine.clock.now())
            return Response(status: .ok, headers: [.contentType: format.contentType], body: .init(byteBuffer: ByteBuffer(bytes: try draft.rendered(as: format))))
        }
        router.post("/api/v1/incidents/:id/regulatory/:regime/declare") { request, context -> Response in
            let person = try incidents.auth.person(of: request, doing: "declaring an incident major")
            let id = try context.parameters.incidentID()
            let body = try CommandBody(Data(buffer: try await request.body.collect(upTo: maxBodyBytes)), allowed: ["reason"])
            let regime = context.parameters.get("regime") ?? ""
            return try file(.declare(regime: regime, reason: try body.string("reason")), on: id, by: person, regime: regime)
        }
        router.post("/api/v1/incidents/:id/regulatory/:regime/:report/submissions") { request, context -> Response in
            let person = try incidents.auth.person(of: request, doing: "recording a report's submission")
            let id = try context.parameters.incidentID()
            let body = try CommandBody(Data(buffer: try await request.body.collect(upTo: maxBodyBytes)), allowed: ["reference", "submitted_at", "note"])
            let regime = context.parameters.get("regime") ?? ""
            let command = RegulatoryCommand.submit(regime: regime, report: context.parameters.get("report") ?? "", reference: try body.string("reference"),
                                                   submittedAt: try body.optionalString("submitted_at").map { _ in try body.time("submitted_at") },
                                                   note: try body.optionalString("note"))
            return try file(command, on: id, by: person, regime: regime, status: .created)
        }
    }

    private func file(_ command: RegulatoryCommand, on id: Int64, by person: String, regime: String, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let enabled = engine.rules.procedure.regime(regime) else { throw unknownRegime(regime) }
        do {
            try incidents.found { try engine.file(command, on: id, by: person) }
        } catch let error as ProcedureError {
            throw Problem(error.status, "Refused", detail: error.description)
        }
        let (incident, record, events) = try read(id)
        return try jsonResponse(RegulatoryStanding(enabled, incident: incident, record: record, events: events, now: engine.clock.now()), status: status)
    }

    private func read(_ id: Int64) throws -> (Incident, ProcedureRecord, [TimelineEvent]) {
        try incidents.found { (try engine.store.incident(id), try engine.store.procedureRecord(id), try engine.store.timeline(id)) }
    }

    private func regimeReport(_ regimeID: String?, _ reportID: String?) throws -> (RegulatoryRegime, RegulatoryReport) {
        guard let regime = engine.rules.procedure.regime(regimeID ?? "") else { throw unknownRegime(regimeID ?? "") }
        guard let report = regime.report(reportID ?? "") else {
            throw Problem(.notFound, "No such report", detail: "\(regime.title) has no report \"\(reportID ?? "")\"; its reports are: \(regime.reports.map(\.id).joined(separator: ", ")).")
        }
        return (regime, report)
    }

    private func unknownRegime(_ id: String) -> Problem {
        Problem(.notFound, "No such regime",
                detail: "No regime \"\(id)\" is enabled; the enabled regimes are: \(engine.rules.procedure.regulatoryRegimes.map(\.id).joined(separator: ", ")).")
    }
}
