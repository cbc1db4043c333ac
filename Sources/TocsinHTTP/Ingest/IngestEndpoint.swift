import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// What every wire-format endpoint shares: finding the integration a request comes from,
/// reading the body, and committing the alerts before answering.
///
/// An alert gets its 2xx only after `IncidentStore.ingest` has committed the whole batch in
/// one transaction, whatever format it arrived in.
struct IngestEndpoint: Sendable {
    let engine: Engine
    let auth: BearerToken
    /// Who may call, with the declared integrations.
    let access: ServerAccess
    let maxBodyBytes: Int

    /// The integration presenting the request's bearer token; refuses a token of another kind.
    func integration(of request: Request, kind: IntegrationKind) throws -> Integration {
        try integration(named: try auth.principal(of: request), kind: kind)
    }

    /// The declared integration behind `principal`, which must be of `kind`.
    func integration(named principal: Principal, kind: IntegrationKind) throws -> Integration {
        guard case .integration(let name) = principal else {
            throw Problem(.forbidden, "An integration is required",
                          detail: "The token belongs to the person \(principal.actor); \(kind.path) takes the token of a \(kind.rawValue) integration declared under `integrations:` in tocsin.yaml.")
        }
        guard let integration = access.integration(named: name) else {
            throw Problem(.forbidden, "Not a declared integration",
                          detail: "The token belongs to \"\(name)\", listed under `tokens:`; \(kind.path) takes the token of a \(kind.rawValue) integration declared under `integrations:`, which says how its labels map.")
        }
        guard integration.kind == kind else {
            throw Problem(.forbidden, "Wrong integration kind",
                          detail: "The token belongs to the \(integration.kind.rawValue) integration \"\(name)\"; \(kind.path) takes a \(kind.rawValue) integration's token. A \(integration.kind.rawValue) integration sends to \(integration.kind.path).")
        }
        return integration
    }

    func body(of request: Request) async throws -> Data {
        Data(buffer: try await request.body.collect(upTo: maxBodyBytes))
    }

    /// Commits the reports (with the engine's group commit, like Tocsin's own alerts) and wakes
    /// the engine when there is paging to do; counted under the integration's kind.
    func commit(_ reports: [AlertReport], from integration: Integration) async throws -> IngestOutcome {
        try await engine.ingest(reports, from: integration.kind.rawValue)
    }

    /// The answer to a committed batch.
    func accepted(_ reports: [AlertReport], _ outcome: IngestOutcome, status: HTTPResponse.Status = .ok) -> Response {
        IngestReceipt(accepted: reports.count, outcome: outcome).response(status: status)
    }

    /// Reads a tolerant payload (unknown fields are ignored) as `T`, or refuses it with what is
    /// wrong and where.
    static func decode<T: JSONReadable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        let json = try parse(data)
        do {
            return try T(json: json)
        } catch {
            throw Problem.badRequest("Not \(what): \(error)")
        }
    }

    /// Reads a request body as JSON, or refuses it with where its syntax breaks.
    static func parse(_ data: Data) throws -> JSONValue {
        do {
            return try JSONReader.parse(data)
        } catch {
            throw Problem.badRequest("The body is not valid JSON: \(error).")
        }
    }
}

/// A field of an incoming payload that has the right type but an unusable value.
struct IngestFieldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
