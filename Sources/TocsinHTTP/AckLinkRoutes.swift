import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine

/// `/ack/{id}?person=…&expires=…&sig=…`: the signed link sent in every page.
///
/// Opening the link (GET) shows a page with one button; the button (POST) acknowledges.
/// A GET never acknowledges, so chat and mail link previewers cannot ack by accident.
struct AckLinkRoutes {
    let incidents: IncidentRoutes
    /// Read per request: a reloaded configuration may bring a new secret.
    var signer: AckLinkSigner { incidents.engine.rules.ackLinks }

    func add(to router: RouteTable) {
        router.get("/ack/:id") { request, context -> Response in
            let token = try checkedToken(request, context)
            return html(status: .ok, title: "Acknowledge incident \(token.incidentID)", body: """
                <p>Acknowledge incident <strong>\(token.incidentID)</strong> as <strong>\(escape(token.personID))</strong>?
                This stops the escalation: nobody else will be paged for it.</p>
                <form method="post"><button type="submit">Acknowledge</button></form>
                """)
        }
        router.post("/ack/:id") { request, context -> Response in
            let token = try checkedToken(request, context)
            let answer: IncidentRoutes.AckAnswer
            do {
                answer = try incidents.acknowledge(token.incidentID, by: token.personID, via: "link")
            } catch let problem as Problem {
                throw LinkError(status: problem.status, message: problem.detail)
            }
            let text: String
            if answer.alreadyAcknowledged {
                text = "Incident \(answer.incident) was already acknowledged by \(escape(answer.acknowledgedBy)) at \(UTCTime.string(answer.acknowledgedAt)). Your acknowledgement is recorded too."
            } else if !answer.waitingFor.isEmpty {
                text = "Your acknowledgement of incident \(answer.incident) is recorded. This step needs everyone it paged to acknowledge; still waiting for \(escape(answer.waitingFor.joined(separator: ", ")))."
            } else {
                text = "Incident \(answer.incident) acknowledged by \(escape(answer.acknowledgedBy)). Escalation stopped."
            }
            return html(status: .ok, title: "Acknowledged", body: "<p>\(text)</p>")
        }
    }

    private func checkedToken(_ request: Request, _ context: BasicRequestContext) throws -> AckLinkToken {
        let query = request.uri.queryParameters
        guard let id = Int64(context.parameters.get("id") ?? ""),
              let person = query.get("person"), let expires = query.get("expires").flatMap({ Int64($0) }), let signature = query.get("sig") else {
            throw LinkError(status: .badRequest, message: "This acknowledge link is incomplete. Open the whole link from your page.")
        }
        let token = AckLinkToken(incidentID: id, personID: person, expires: expires, signature: signature)
        if let problem = signer.problem(with: token, now: incidents.engine.clock.now()) {
            throw LinkError(status: problem == .expired ? .gone : .forbidden, message: problem.description)
        }
        guard incidents.engine.rules.roster.people[token.personID] != nil else {
            throw LinkError(status: .forbidden, message: "This acknowledge link belongs to \"\(token.personID)\", who is no longer in Tocsin's contacts. Acknowledge with `tocsin ack` as yourself.")
        }
        return token
    }

    /// A refused link, shown as a page a person reads rather than JSON.
    struct LinkError: Error, HTTPResponseError {
        var status: HTTPResponse.Status
        var message: String

        func response(from request: Request, context: some RequestContext) throws -> Response {
            html(status: status, title: "Link refused", body: "<p>\(escape(message))</p>")
        }
    }
}

func html(status: HTTPResponse.Status, title: String, body: String) -> Response {
    textResponse("""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(escape(title)) · Tocsin</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto;"><h1>\(escape(title))</h1>\(body)</body></html>
        """, contentType: "text/html; charset=utf-8", status: status)
}

func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
