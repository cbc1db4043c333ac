import Foundation
import HTTPTypes
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// `/on-call`: who holds each role now and for the next days, shift handovers, silences and
/// heartbeats; and the forms that write and acknowledge a handover and create and end a
/// silence, through the APIs' own code.
struct ConsoleOnCallRoutes {
    let console: ConsoleRoutes

    var engine: Engine { console.engine }
    var silences: SilenceRoutes { SilenceRoutes(engine: engine, auth: console.incidents.auth, maxBodyBytes: console.maxBodyBytes) }

    func add(to router: RouteTable) {
        router.get("/on-call") { request, _ -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            return page(session)
        }
        router.post("/silences") { request, _ -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            let fields = FormFields(try await console.body(of: request))
            guard fields["csrf"] == session.csrfToken else { return console.forgedForm(session) }
            do {
                let silence = try silences.create(try SilenceForm.body(fields), by: session.person)
                return console.redirect(to: "/on-call#silence-\(silence.id)")
            } catch let problem as Problem {
                return page(session, refusal: (problem.detail, fields), status: problem.status)
            }
        }
        router.post("/handovers") { request, _ -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            let fields = FormFields(try await console.body(of: request))
            guard fields["csrf"] == session.csrfToken else { return console.forgedForm(session) }
            do {
                let handover = try HandoverRoutes.refusing { try engine.writeHandover(HandoversView.request(fields), by: session.person) }
                return console.redirect(to: "/on-call#handover-\(handover.id)")
            } catch let problem as Problem {
                return page(session, handoverRefusal: (problem.detail, fields), status: problem.status)
            }
        }
        router.post("/handovers/:id/acknowledge") { request, context -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            let fields = FormFields(try await console.body(of: request))
            guard fields["csrf"] == session.csrfToken else { return console.forgedForm(session) }
            do {
                let id = Int64(context.parameters.get("id") ?? "") ?? 0
                let handover = try HandoverRoutes.refusing { try engine.acknowledgeHandover(id, by: session.person) }
                return console.redirect(to: "/on-call#handover-\(handover.id)")
            } catch let problem as Problem {
                return page(session, handoverRefusal: (problem.detail, FormFields("")), status: problem.status)
            }
        }
        router.post("/silences/:id/end") { request, context -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            let fields = FormFields(try await console.body(of: request))
            guard fields["csrf"] == session.csrfToken else { return console.forgedForm(session) }
            do {
                _ = try silences.end(Int64(context.parameters.get("id") ?? "") ?? 0, by: session.person)
                return console.redirect(to: "/on-call#silences-heading")
            } catch let problem as Problem {
                return page(session, refusal: (problem.detail, FormFields("")), status: problem.status)
            }
        }
    }

    private func page(_ session: ConsoleSession, refusal: (reason: String, fields: FormFields)? = nil,
                      handoverRefusal: (reason: String, fields: FormFields)? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let now = engine.clock.now()
        let roster = engine.rules.roster
        do {
            let held = roster.roles.keys.sorted().filter { roster.person(holding: $0, as: .primary, at: now)?.id == session.person }
            let handovers = HandoversView(handovers: try engine.store.handovers(changingAfter: now.addingTimeInterval(-86_400)), roles: held,
                                          session: session, refusal: handoverRefusal)
            let body: HTML = """
                \(OnCallView(roster: roster, now: now).html)
                \(handovers.html)
                \(SilencesView(silences: try engine.store.silences(includingExpired: false, now: now), session: session, now: now, refusal: refusal).html)
                \(HeartbeatsView(heartbeats: try engine.store.heartbeats(), now: now).html)
                """
            return ConsolePage(title: "On call", session: session, body: body).response(status: status)
        } catch {
            return ConsolePage(title: "Unavailable", session: session,
                               body: "<h1>The record cannot be read now</h1><p>\(String(describing: error))</p>").response(status: .serviceUnavailable)
        }
    }
}
