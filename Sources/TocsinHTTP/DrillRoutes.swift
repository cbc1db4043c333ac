import Foundation
import Hummingbird
import TocsinConfig
import TocsinCore
import TocsinEngine

/// Drills over HTTP: start one (`POST /api/v1/drills`), read a drill's scorecard and every
/// team's trend across drills. Leadership, commanders and reviewers run and read drills.
struct DrillRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    /// What starting a drill answers.
    struct Started: Encodable {
        var incident: Incident
        var injections: Int
    }

    func add(to router: RouteTable) {
        router.post("/api/v1/drills") { request, _ -> Response in
            let person = try auth.person(of: request, doing: "starting a drill")
            try requireOrganiser(person, doing: "start drills")
            let body = try CommandBody(Data(buffer: try await request.body.collect(upTo: maxBodyBytes)), allowed: ["runbook", "severity", "script"])
            let started = try start(runbook: try body.string("runbook"), severity: try body.optionalString("severity"), script: try body.optionalString("script"),
                                    by: person)
            return try jsonResponse(started, status: .created)
        }
        router.get("/api/v1/drills") { request, _ -> Response in
            let person = try auth.person(of: request, doing: "reading drill history")
            try requireOrganiser(person, doing: "read drill history")
            let history = try engine.drillHistory()
            return try rendered(format: request.uri.queryParameters.get("format"), json: history, text: history.text, markdown: history.markdown,
                                html: history.html)
        }
        router.get("/api/v1/drills/:id/scorecard") { request, context -> Response in
            let person = try auth.person(of: request, doing: "reading a drill's scorecard")
            try requireOrganiser(person, doing: "read drill scorecards")
            let id = try context.parameters.incidentID()
            let incident = try IncidentRoutes(engine: engine, auth: auth).found { try engine.store.incident(id) }
            guard incident.isDrill else { throw Problem(.notFound, "Not a drill", detail: "Incident \(id) is a real incident, not a drill; it has no scorecard.") }
            let card = try engine.scorecard(of: id)
            return try rendered(format: request.uri.queryParameters.get("format"), json: card, text: card.text, markdown: card.markdown, html: card.html)
        }
    }

    /// Opens a drill of runbook `runbookID` for `person`, or refuses with what is wrong; the API
    /// and the console's form both come here.
    func start(runbook runbookID: String, severity severityName: String?, script text: String?, by person: String) throws -> Started {
        guard let runbook = engine.rules.runbooks.first(where: { $0.id == runbookID }) else {
            throw Problem(.unprocessableContent, "No such runbook",
                          detail: "There is no runbook \"\(runbookID)\"; the runbooks are: \(engine.rules.runbooks.map(\.id).sorted().joined(separator: ", ")).")
        }
        let severityName = severityName ?? "SEV1"
        guard let severity = Severity(name: severityName) else {
            throw Problem.badRequest("severity \"\(severityName)\" is not one of SEV1, SEV2, SEV3, SEV4.")
        }
        var script = DrillScript()
        if let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do {
                script = try DrillScriptText.parse(text, roster: engine.rules.roster)
            } catch let error as ConfigError {
                throw Problem(.unprocessableContent, "Invalid drill script", detail: error.description)
            }
        }
        return Started(incident: try engine.startDrill(runbook: runbook, severity: severity, script: script, by: person), injections: script.injections.count)
    }

    private func rendered(format: String?, json: some Encodable, text: String, markdown: String, html: String) throws -> Response {
        switch format ?? "json" {
        case "json": try jsonResponse(json)
        case "text": textResponse(text, contentType: "text/plain; charset=utf-8")
        case "markdown": textResponse(markdown, contentType: "text/markdown; charset=utf-8")
        case "html": textResponse(html, contentType: "text/html; charset=utf-8")
        case let other: throw Problem.badRequest("Unknown format \"\(other)\"; choose json, text, markdown or html.")
        }
    }

    /// Drills are run and read by leadership, commanders (fault_analyst) and reviewers.
    func requireOrganiser(_ person: String, doing act: String) throws {
        let roles = engine.rules.roster.roles(of: person)
        guard roles.contains(.leadership) || roles.contains(.reviewer) || roles.contains(.faultAnalyst) else {
            throw Problem(.forbidden, "Not permitted", detail: "\(person) may not \(act); that takes the leadership, fault_analyst or reviewer role.")
        }
    }
}
