import Hummingbird
import TocsinCore

/// Finds who a request comes from by its `Authorization: Bearer …` header.
struct BearerToken: Sendable {
    let access: ServerAccess

    func principal(of request: Request) throws -> Principal {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("Send an Authorization: Bearer TOKEN header; tokens are listed under `tokens:` in tocsin.yaml.")
        }
        // Trimmed by hand: Foundation's trimming cost a quarter of answering an alert.
        let token = header.dropFirst("Bearer ".count).drop { $0 == " " || $0 == "\t" }
        let end = token.lastIndex { $0 != " " && $0 != "\t" }.map { token.index(after: $0) } ?? token.startIndex
        guard header.hasPrefix("Bearer "), let principal = access.principal(presenting: String(token[..<end])) else {
            throw Problem.unauthorized("The bearer token is not one this server knows.")
        }
        return principal
    }

    /// Only a person may do `act` (acknowledging, a procedure command, exporting): integrations
    /// cannot, and the refusal names what was refused.
    func person(of request: Request, doing act: String) throws -> String {
        switch try principal(of: request) {
        case .person(let id): return id
        case .integration(let name):
            throw Problem(.forbidden, "A person is required", detail: "The token belongs to the integration \"\(name)\"; \(act) needs a person's token.")
        }
    }
}
