import Foundation
import HTTPTypes
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// The incident console, served by `tocsind` beside the API: pages for people signed in with
/// their own token. Every action is the API's command under the API's rules; the console
/// adds only the session (cookie and CSRF token). A GET never changes anything.
struct ConsoleRoutes {
    let engine: Engine
    let access: ServerAccess
    let sessions: ConsoleSessions
    let incidents: IncidentRoutes
    /// Under TLS the cookies are `Secure`.
    let secureCookies: Bool
    let maxBodyBytes: Int

    func add(to router: RouteTable) {
        router.get("/console/console.css") { _, _ in asset(PackageResources.console_css, type: "text/css; charset=utf-8") }
        router.get("/console/console.js") { _, _ in asset(PackageResources.console_js, type: "text/javascript; charset=utf-8") }
        router.get("/sign-in") { request, _ in
            session(of: request) == nil ? signInPage() : redirect(to: "/")
        }
        router.post("/sign-in") { request, _ in try await signIn(request) }
        router.post("/sign-out") { request, _ -> Response in
            guard let session = session(of: request) else { return redirect(to: "/sign-in") }
            guard try await FormFields(body(of: request))["csrf"] == session.csrfToken else { return forgedForm(session) }
            sessions.end(session.id)
            return redirect(to: "/sign-in", cookies: [Cookies.header(Cookies.session, value: "", maxAge: 0, secure: secureCookies)])
        }
        router.get("/") { request, _ -> Response in
            guard let session = session(of: request) else { return redirect(to: "/sign-in") }
            let view = IncidentListView(rows: try IncidentListView.Row.all(in: engine), filter: filter(of: request), now: engine.clock.now())
            return ConsolePage(title: "Incidents", session: session, body: view.html).response()
        }
        router.get("/live/incidents") { request, _ -> Response in
            guard session(of: request) != nil else { return Response(status: .unauthorized) }
            let after = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int64($0) } ?? request.uri.queryParameters.get("after").flatMap { Int64($0) } ?? 0
            return IncidentListStream(engine: engine).response(filter: filter(of: request), after: after)
        }
        router.get("/incidents/:id") { request, context -> Response in
            guard let session = session(of: request) else { return redirect(to: "/sign-in") }
            guard let before = timelinePlace(of: request) else {
                return ConsolePage(title: "No such place in the timeline", session: session, body: """
                    <h1>No such place in the timeline</h1><p class="refusal" role="alert">before= takes the number of a timeline entry, 1 or more.</p>
                    <p><a href="/incidents/\(context.parameters.get("id") ?? "")">The incident's latest entries</a></p>
                    """).response(status: .badRequest)
            }
            return incidentPage(context.parameters.get("id"), session: session, before: before)
        }
        router.get("/incidents/:id/timeline") { request, context -> Response in
            guard session(of: request) != nil else { return Response(status: .unauthorized) }
            guard let before = timelinePlace(of: request), let sequence = before else {
                return try Problem.badRequest("before= takes the number of a timeline entry, 1 or more.").response(from: request, context: context)
            }
            guard let id = Int64(context.parameters.get("id") ?? "") else {
                return try Problem(.notFound, "No such incident", detail: "There is no incident \(context.parameters.get("id") ?? "").").response(from: request, context: context)
            }
            do {
                let view = try TimelineView(incidentID: id, before: sequence, store: engine.store, people: Set(engine.rules.roster.people.keys))
                return Response(status: .ok, headers: ConsolePage.headers, body: .init(byteBuffer: ByteBuffer(string: view.fragment.description)))
            } catch let error as StoreError where error.isIncidentNotFound {
                return try Problem(.notFound, "No such incident", detail: "There is no incident \(id).").response(from: request, context: context)
            }
        }
        router.get("/incidents/:id/live") { request, context -> Response in
            guard session(of: request) != nil else { return Response(status: .unauthorized) }
            guard let id = Int64(context.parameters.get("id") ?? ""), (try? engine.store.incident(id)) != nil else { return Response(status: .notFound) }
            let after = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int($0) } ?? request.uri.queryParameters.get("after").flatMap { Int($0) } ?? 0
            return LiveTimeline(engine: engine).response(incident: id, after: after)
        }
        router.post("/incidents/:id/ack") { request, context -> Response in
            guard let session = session(of: request) else { return redirect(to: "/sign-in") }
            guard try await FormFields(body(of: request))["csrf"] == session.csrfToken else { return forgedForm(session) }
            guard let id = Int64(context.parameters.get("id") ?? "") else { return incidentPage(nil, session: session) }
            do {
                _ = try incidents.acknowledge(id, by: session.person, via: "console")
            } catch is Problem {
                return incidentPage(context.parameters.get("id"), session: session)
            }
            return redirect(to: "/incidents/\(id)")
        }
        ConsoleOnCallRoutes(console: self).add(to: router)
        ConsoleReviewRoutes(console: self).add(to: router)
        ConsoleDrillRoutes(console: self).add(to: router)
        SignInLinkRoutes(console: self).add(to: router)
        router.post("/incidents/:id/act/:action") { request, context -> Response in
            guard let session = session(of: request) else { return redirect(to: "/sign-in") }
            let fields = FormFields(try await body(of: request))
            guard fields["csrf"] == session.csrfToken else { return forgedForm(session) }
            let action = context.parameters.get("action") ?? ""
            guard let id = Int64(context.parameters.get("id") ?? "") else { return incidentPage(nil, session: session) }
            return await perform(action, fields: fields, on: id, session: session)
        }
    }

    private func perform(_ action: String, fields: FormFields, on id: Int64, session: ConsoleSession) async -> Response {
        let key = CommandForms.key(action: action, fields: fields)
        do {
            let command = try ProcedureCommandDecoding.command(action: action, body: FormCommand.body(action: action, fields: fields), actor: session.person)
            let outcome = try await engine.perform(command, on: id, by: session.person)
            if let failure = outcome.events.first(where: { $0.kind == .tradeSwitchFailed }) {
                let reason = "The approval is recorded, but the platform did not confirm: \(failure.detail["answer"] ?? "?"). The incident stays in \(outcome.stage.rawValue); the commander and leadership have been paged. Approve again to retry."
                return incidentPage("\(id)", session: session, refusal: .init(key: key, reason: reason, fields: fields), status: .badGateway)
            }
            return redirect(to: "/incidents/\(id)")
        } catch let error as ProcedureError {
            return incidentPage("\(id)", session: session, refusal: .init(key: key, reason: error.description, fields: fields), status: error.status)
        } catch let problem as Problem {
            return incidentPage("\(id)", session: session, refusal: .init(key: key, reason: problem.detail, fields: fields), status: problem.status)
        } catch {
            return incidentPage("\(id)", session: session)
        }
    }

    /// Where in the timeline a page starts: `before=SEQ` shows the entries before the SEQ-th,
    /// none the latest (`.some(nil)`); nil when `before` is not an entry's number.
    private func timelinePlace(of request: Request) -> Int?? {
        guard let text = request.uri.queryParameters.get("before") else { return .some(nil) }
        guard let sequence = Int(text), sequence >= 1, sequence <= Int(Int32.max) else { return nil }
        return .some(sequence)
    }

    private func incidentPage(_ idText: String?, session: ConsoleSession, before: Int? = nil, refusal: CommandForms.Refusal? = nil,
                              status: HTTPResponse.Status = .ok) -> Response {
        do {
            guard let id = Int64(idText ?? ""), id > 0 else { throw StoreError.incidentNotFound(0) }
            let incident = try engine.store.incident(id)
            let record = try engine.store.procedureRecord(id)
            let runbook = incident.runbookID.flatMap { runbookID in engine.rules.runbooks.first { $0.id == runbookID } }
            let roster = engine.rules.roster
            let forms = CommandForms(incident: incident, record: record,
                                     procedure: Procedure(rules: engine.rules.procedure, roster: roster, runbook: runbook),
                                     session: session, people: roster.people.keys.sorted(), refusal: refusal)
            let timeline = try TimelineView(incidentID: id, before: before, store: engine.store, people: Set(roster.people.keys))
            let view = IncidentView(incident: incident, record: record, trail: PageTrail(try engine.store.timeline(id, kinds: PageTrail.kinds)),
                                    timeline: timeline, timers: try engine.store.timers(of: id),
                                    alerts: try engine.store.alerts(ofIncident: id, limit: 500), runbook: runbook,
                                    forms: forms, now: engine.clock.now())
            return ConsolePage(title: "#\(id) \(incident.title)", session: session, body: view.html).response(status: status)
        } catch let error as StoreError where error.isIncidentNotFound {
            return ConsolePage(title: "No such incident", session: session,
                               body: "<h1>No such incident</h1><p>There is no incident \(idText ?? "").</p><p><a href=\"/\">All incidents</a></p>")
                .response(status: .notFound)
        } catch {
            return ConsolePage(title: "Unavailable", session: session,
                               body: "<h1>The record cannot be read now</h1><p>\(String(describing: error))</p>").response(status: .serviceUnavailable)
        }
    }

    // MARK: Signing in

    func signInPage(message: String? = nil, news: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = ConsoleSession.secret()
        let notice: HTML = message.map { "<p class=\"refusal\" role=\"alert\">\($0)</p>" }
            ?? news.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? .empty
        let body: HTML = """
            <h1>Sign in</h1>\(notice)
            <form class="sign-in" method="post" action="/sign-in"><input type="hidden" name="csrf" value="\(token)">
            <label for="token">Your Tocsin token (listed under <code>tokens:</code> in tocsin.yaml)</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button></form>
            <form class="sign-in-link" method="post" action="/sign-in/link"><input type="hidden" name="csrf" value="\(token)">
            <h2>No token at hand?</h2>
            <label for="person">Your name in Contacts/ (such as chen.wei): a link that signs you in once is sent through your own contact method</label>
            <input id="person" name="person" autocomplete="username" required>
            <button type="submit">Send me a sign-in link</button></form>
            """
        return ConsolePage(title: "Sign in", session: nil, body: body)
            .response(status: status, headers: [.setCookie: Cookies.header(Cookies.signIn, value: token, maxAge: 3600, secure: secureCookies)])
    }

    private func signIn(_ request: Request) async throws -> Response {
        let fields = FormFields(try await body(of: request))
        guard let expected = Cookies.value(Cookies.signIn, in: request), fields["csrf"] == expected else {
            return signInPage(message: "This sign-in form has expired or did not come from this console; sign in again.", status: .forbidden)
        }
        switch access.principal(presenting: fields["token"]?.trimmingCharacters(in: .whitespaces) ?? "") {
        case .person(let person):
            return startSession(for: person)
        case .integration(let name):
            return signInPage(message: "That token belongs to the integration \"\(name)\"; the console needs a person's token.", status: .forbidden)
        case nil:
            return signInPage(message: "That token is not one this server knows.", status: .unauthorized)
        }
    }

    private func filter(of request: Request) -> IncidentFilter {
        let query = request.uri.queryParameters
        return IncidentFilter(severity: query.get("severity"), stage: query.get("stage"), service: query.get("service"))
    }

    /// Signs `person` in: a new session cookie, the sign-in form's cookie cleared.
    func startSession(for person: String) -> Response {
        let session = sessions.start(for: person, now: engine.clock.now())
        return redirect(to: "/", cookies: [
            Cookies.header(Cookies.signIn, value: "", maxAge: 0, secure: secureCookies),
            Cookies.header(Cookies.session, value: session.id, maxAge: Int(sessions.lifetime), secure: secureCookies),
        ])
    }

    func session(of request: Request) -> ConsoleSession? {
        Cookies.value(Cookies.session, in: request).flatMap { sessions.session($0, now: engine.clock.now()) }
    }

    func forgedForm(_ session: ConsoleSession) -> Response {
        ConsolePage(title: "Form refused", session: session, body: """
            <h1>Form refused</h1><p class="refusal" role="alert">This form did not come from a page this console served you,
            so nothing was done. Go back, reload the page and try again.</p><p><a href="/">All incidents</a></p>
            """).response(status: .forbidden)
    }

    func body(of request: Request) async throws -> String {
        String(buffer: try await request.body.collect(upTo: maxBodyBytes))
    }

    func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    private func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
