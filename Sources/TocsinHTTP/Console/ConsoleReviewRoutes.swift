import Foundation
import HTTPTypes
import Hummingbird
import TocsinCore
import TocsinEngine

/// `/review`: the response report with its charts and downloads, and incident exports, for
/// the people the review API admits (reviewers, commanders, leadership), by its own code.
struct ConsoleReviewRoutes {
    let console: ConsoleRoutes

    var engine: Engine { console.engine }
    var review: ReviewRoutes { ReviewRoutes(incidents: console.incidents) }

    func add(to router: RouteTable) {
        router.get("/review") { request, _ -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            do {
                try review.requireReviewer(session.person, commanderOfIncident: nil)
                let (from, to) = try period(of: request)
                let incidents = try engine.store.incidents().filter { $0.openedAt >= from && $0.openedAt < to }
                let view = ReviewView(report: try review.report(from: from, to: to), incidents: incidents, session: session)
                return ConsolePage(title: "Review", session: session, body: view.html).response()
            } catch let problem as Problem {
                return refused(problem, session: session)
            }
        }
        router.get("/review/report") { request, _ -> Response in
            guard let session = console.session(of: request) else { return Response(status: .unauthorized) }
            do {
                try review.requireReviewer(session.person, commanderOfIncident: nil)
                let (from, to) = try period(of: request)
                let report = try review.report(from: from, to: to)
                let name = "response-\(ReviewView.day(from))-\(ReviewView.day(to))"
                switch request.uri.queryParameters.get("format") ?? "json" {
                case "json": return download(try TocsinJSON.encoder.encode(report), type: "application/json", name: name + ".json")
                case "text": return download(Data(report.text.utf8), type: "text/plain; charset=utf-8", name: name + ".txt")
                case "html": return download(Data(report.html.utf8), type: "text/html; charset=utf-8", name: name + ".html")
                case let other: throw Problem.badRequest("Unknown report format \"\(other)\"; choose json, text or html.")
                }
            } catch let problem as Problem {
                return refused(problem, session: session)
            }
        }
        router.post("/incidents/:id/export") { request, context -> Response in
            guard let session = console.session(of: request) else { return console.redirect(to: "/sign-in") }
            let fields = FormFields(try await console.body(of: request))
            guard fields["csrf"] == session.csrfToken else { return console.forgedForm(session) }
            do {
                guard let format = ExportFormat(rawValue: fields["format"] ?? "") else {
                    throw Problem.badRequest("Choose an export format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                let zone = TimeZone(identifier: engine.rules.roster.people[session.person]?.timeZone ?? "UTC") ?? .gmt
                return try review.export(Int64(context.parameters.get("id") ?? "") ?? 0, as: format, by: session.person, zone: zone, disposition: "attachment")
            } catch let problem as Problem {
                return refused(problem, session: session)
            }
        }
    }

    /// `from` and `to` from the query (UTC days), the last 30 days to the end of today by default.
    private func period(of request: Request) throws -> (Date, Date) {
        let query = request.uri.queryParameters
        let end = OnCallView.utc.startOfDay(for: engine.clock.now()).addingTimeInterval(86_400)
        func day(_ name: String, _ fallback: Date) throws -> Date {
            guard let text = query.get(name), !text.isEmpty else { return fallback }
            guard let date = UTCTime.date(text + "T00:00:00Z") else { throw Problem.badRequest("\(name)=\(text) is not a day such as 2026-11-01.") }
            return date
        }
        let to = try day("to", end), from = try day("from", to.addingTimeInterval(-30 * 86_400))
        guard from < to else { throw Problem.badRequest("The period must start before it ends.") }
        return (from, to)
    }

    private func download(_ data: Data, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
                                        HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func refused(_ problem: Problem, session: ConsoleSession) -> Response {
        ConsolePage(title: problem.title, session: session, body: """
            <h1>\(problem.title)</h1><p class="refusal" role="alert">\(problem.detail)</p><p><a href="/review">Review</a> · <a href="/">All incidents</a></p>
            """).response(status: problem.status)
    }
}
