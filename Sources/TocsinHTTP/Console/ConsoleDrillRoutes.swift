import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `/drills`: start a drill from the console and read scorecards, for the people the drill API
/// admits (leadership, commanders, reviewers), through the same code.
struct ConsoleDrillRoutes {
    let console: ConsoleRoutes

    var engine: Engine { console.engine }
    var drills: DrillRoutes { DrillRoutes(engine: engine, auth: console.incidents.auth, maxBodyBytes: console.maxBodyBytes) }

    func add(to router: RouteTable) {
        router.get("/drills") { request, _ -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            return page(session: session)
        }
        router.post("/drills") { request, _ -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            let fields = FormFields(try await console.body(of: request))
            guard fields["csrf"] == session.csrfToken else { return console.forgedForm(session) }
            do {
                try drills.requireOrganiser(session.person, doing: "start drills")
                let started = try drills.start(runbook: fields["runbook"] ?? "", severity: fields["severity"], script: fields["script"], by: session.person)
                return console.redirect(to: "/incidents/\(started.incident.id)")
            } catch let problem as Problem {
                return page(session: session, refusal: problem)
            }
        }
        router.get("/drills/:id") { request, context -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            do {
                try drills.requireOrganiser(session.person, doing: "read drill scorecards")
                guard let id = Int64(context.parameters.get("id") ?? ""), let incident = try? engine.store.incident(id), incident.isDrill else {
                    throw Problem(.notFound, "No such drill", detail: "There is no drill \(context.parameters.get("id") ?? "").")
                }
                let card = try engine.scorecard(of: id)
                return ConsolePage(title: "Drill #\(id) scorecard", session: session, body: ScorecardView(card: card).html).response()
            } catch let problem as Problem {
                return refused(problem, session: session)
            }
        }
    }

    private func page(session: ConsoleSession, refusal: Problem? = nil) -> Response {
        do {
            try drills.requireOrganiser(session.person, doing: "run drills")
            let view = DrillsView(history: try engine.drillHistory(), runbooks: engine.rules.runbooks, session: session, refusal: refusal?.detail)
            return ConsolePage(title: "Drills", session: session, body: view.html).response(status: refusal?.status ?? .ok)
        } catch let problem as Problem {
            return refused(problem, session: session)
        } catch {
            return ConsolePage(title: "Unavailable", session: session,
                               body: "<h1>The record cannot be read now</h1><p>\(String(describing: error))</p>").response(status: .serviceUnavailable)
        }
    }

    private func refused(_ problem: Problem, session: ConsoleSession) -> Response {
        ConsolePage(title: problem.title, session: session, body: """
            <h1>\(problem.title)</h1><p class="refusal" role="alert">\(problem.detail)</p><p><a href="/drills">Drills</a> · <a href="/">All incidents</a></p>
            """).response(status: problem.status)
    }
}
