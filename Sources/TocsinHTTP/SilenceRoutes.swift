import Foundation
import Hummingbird
import TocsinCore
import TocsinEngine
import TocsinStore

/// `/api/v1/silences`: silences and maintenance windows, created and ended by people.
struct SilenceRoutes {
    let engine: Engine
    let auth: BearerToken
    let maxBodyBytes: Int

    /// A silence with its state at the time of the answer.
    struct SilenceAnswer: Encodable {
        var silence: Silence
        var state: SilenceState

        func encode(to encoder: any Encoder) throws {
            try silence.encode(to: encoder)
            var container = encoder.container(keyedBy: StateKey.self)
            try container.encode(state, forKey: .state)
        }

        enum StateKey: String, CodingKey { case state }
    }

    func add(to router: RouteTable) {
        router.post("/api/v1/silences") { request, _ -> Response in
            let person = try auth.person(of: request, doing: "silencing alerts")
            let body = try await request.body.collect(upTo: maxBodyBytes)
            let silence = try create(Data(buffer: body), by: person)
            return try jsonResponse(SilenceAnswer(silence: silence, state: silence.state(at: engine.clock.now())), status: .created)
        }
        router.get("/api/v1/silences") { request, _ -> Response in
            _ = try auth.principal(of: request)
            let now = engine.clock.now()
            let all = request.uri.queryParameters.get("all") == "true"
            return try jsonResponse(try engine.store.silences(includingExpired: all, now: now).map { SilenceAnswer(silence: $0, state: $0.state(at: now)) })
        }
        router.get("/api/v1/silences/:id") { request, context -> Response in
            _ = try auth.principal(of: request)
            let silence = try found { try engine.store.silence(try silenceID(context)) }
            return try jsonResponse(SilenceAnswer(silence: silence, state: silence.state(at: engine.clock.now())))
        }
        router.delete("/api/v1/silences/:id") { request, context -> Response in
            let person = try auth.person(of: request, doing: "ending a silence")
            let silence = try end(try silenceID(context), by: person)
            return try jsonResponse(SilenceAnswer(silence: silence, state: silence.state(at: engine.clock.now())))
        }
    }

    /// Creates the silence a `POST /api/v1/silences` body asks for; the console's form comes here too.
    func create(_ body: Data, by person: String) throws -> Silence {
        let now = engine.clock.now()
        let silenceRequest = try SilencePayload.decode(body)
        let validated: SilenceRequest
        do {
            validated = try silenceRequest.validated(now: now)
        } catch let error as SilenceRequestError {
            throw Problem.badRequest(error.description)
        } catch let error as SilenceMatcherError {
            throw Problem.badRequest(error.description)
        }
        let silence = try engine.store.createSilence(validated, by: person, now: now)
        engine.poke()
        return silence
    }

    /// Ends silence `id` now, as `DELETE /api/v1/silences/{id}` does.
    func end(_ id: Int64, by person: String) throws -> Silence {
        let silence = try found { try engine.store.expireSilence(id, by: person, rules: engine.rules, now: engine.clock.now()) }
        engine.poke()
        return silence
    }

    private func silenceID(_ context: BasicRequestContext) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw Problem(.notFound, "No such silence", detail: "\"\(text)\" is not a silence id; ids are positive whole numbers.")
        }
        return id
    }

    private func found<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SilenceError {
            switch error {
            case .notFound: throw Problem(.notFound, "No such silence", detail: error.description)
            case .alreadyExpired: throw Problem(.conflict, "Silence already ended", detail: error.description)
            }
        }
    }
}

/// The body of `POST /api/v1/silences`. Strict, like Tocsin's own alert format: an unknown
/// field is refused by name, since it is usually a typo.
enum SilencePayload {
    static let fields = ["matchers", "starts_at", "ends_at", "comment"]
    static let matcherFields = ["name", "value", "regex", "equal"]

    static func decode(_ data: Data) throws -> SilenceRequest {
        _ = try IngestEndpoint.parse(data)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Problem.badRequest("The body is not valid JSON: \(error.localizedDescription)")
        }
        guard let object = json as? [String: Any] else { throw Problem.badRequest("A silence is a JSON object with \(fields.joined(separator: ", ")).") }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw Problem.badRequest("Unknown field \"\(unknown)\"; a silence has only: \(fields.joined(separator: ", ")).")
        }
        guard let matchers = object["matchers"] as? [[String: Any]] else {
            throw Problem.badRequest("Field matchers must be a list of objects such as {\"name\": \"service\", \"value\": \"payments-core\"}.")
        }
        let parsed = try matchers.enumerated().map { index, matcher -> SilenceMatcher in
            if let unknown = matcher.keys.sorted().first(where: { !matcherFields.contains($0) }) {
                throw Problem.badRequest("Unknown field \"matchers[\(index)].\(unknown)\"; a matcher has only: \(matcherFields.joined(separator: ", ")).")
            }
            guard let name = matcher["name"] as? String, let value = matcher["value"] as? String else {
                throw Problem.badRequest("matchers[\(index)] needs a string name and a string value.")
            }
            func flag(_ key: String, default value: Bool) throws -> Bool {
                guard let raw = matcher[key] else { return value }
                guard let flag = raw as? Bool else {
                    throw Problem.badRequest("matchers[\(index)].\(key) must be true or false.")
                }
                return flag
            }
            return SilenceMatcher(name: name, value: value, isRegex: try flag("regex", default: false), isEqual: try flag("equal", default: true))
        }
        func time(_ key: String) throws -> Date? {
            guard let raw = object[key] else { return nil }
            guard let text = raw as? String, let date = UTCTime.date(text) else {
                throw Problem.badRequest("Field \(key) must be an ISO 8601 time such as 2026-11-21T22:00:00Z.")
            }
            return date
        }
        guard let endsAt = try time("ends_at") else { throw Problem.badRequest("Missing field ends_at: say when the silence ends.") }
        guard let comment = object["comment"] as? String else { throw Problem.badRequest("Missing field comment: say why alerts are silenced.") }
        return SilenceRequest(matchers: parsed, startsAt: try time("starts_at"), endsAt: endsAt, comment: comment)
    }
}
