import Foundation
import Hummingbird
import TocsinStore

/// An RFC 9457 `application/problem+json` error: what went wrong, in words a client can act on.
///
/// Every refusal the API makes is one of these, and a refused request changes nothing.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ title: String, detail: String) {
        self.status = status
        self.title = title
        self.detail = detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: [String: String] = [
            "type": "about:blank", "title": title, "status": "\(status.code)", "detail": detail,
            "instance": request.uri.path,
        ]
        var object = body as [String: Any]
        object["status"] = status.code
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func unauthorized(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, "Not authenticated", detail: detail)
        problem.headers[.wwwAuthenticate] = "Bearer"
        return problem
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, "Invalid request", detail: detail)
    }
}

/// Turns every error a route throws into a problem document, so clients never see a bare
/// 500 or an HTML error page for their own mistakes. A path that exists but does not answer
/// the request's method gets `405` with `Allow`, not `404`.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RegisteredRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as AckLinkRoutes.LinkError {
            throw error
        } catch StoreError.unavailable(let reason) {
            // Monitoring senders retry a 503 by design; nothing of the request was stored.
            var problem = Problem(.serviceUnavailable, "Store unavailable",
                                  detail: "Tocsin cannot store anything right now: \(reason). Nothing was changed; try again shortly.")
            problem.headers[.retryAfter] = "5"
            throw problem
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "Body too large", detail: "The request body is larger than this server accepts (max_body_bytes). Send fewer alerts per request.")
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let allowed = routes.methods(at: request.uri.path)
            guard !allowed.isEmpty else {
                throw Problem(.notFound, HTTPResponse.Status.notFound.reasonPhrase, detail: "No route for \(request.method) \(request.uri.path).")
            }
            var problem = Problem(.methodNotAllowed, "Method not allowed",
                                  detail: "\(request.uri.path) answers \(allowed.joined(separator: ", ")), not \(request.method).")
            problem.headers[.allow] = allowed.joined(separator: ", ")
            throw problem
        } catch let error as HTTPResponseError {
            let detail = (error as? HTTPError)?.body ?? (error.status == .notFound ? "No route for \(request.method) \(request.uri.path)." : "\(error)")
            throw Problem(error.status, error.status.reasonPhrase, detail: detail)
        } catch {
            context.logger.error("request failed: \(error)")
            throw Problem(.internalServerError, "Internal error", detail: "\(error)")
        }
    }
}
