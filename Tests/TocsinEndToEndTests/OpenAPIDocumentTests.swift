import Foundation
import Testing
import TocsinHTTP
import TocsinTestSupport
import Yams

/// The API contract, `Deploy/openapi.yaml`: it lists exactly the routes the server registers,
/// and `/openapi.json` serves that same document without a token.
@Suite struct OpenAPIDocumentTests {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    static func yamlDocument() throws -> Any {
        let text = try String(contentsOf: TocsinBuild.repository.appendingPathComponent("Deploy/openapi.yaml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text))
    }

    static func routes(in document: Any) throws -> [Route] {
        let paths = try #require((document as? [String: Any])?["paths"] as? [String: Any])
        return paths.flatMap { path, item in
            ((item as? [String: Any]) ?? [:]).keys.filter(methods.contains).map { Route(method: $0, path: path) }
        }.sorted()
    }

    /// The same document, whatever the key order and the numbers' types.
    static func canonical(_ document: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func theDocumentListsEveryRouteTheServerRegistersAndNoOther() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let registered = TocsinServer(engine: daemon.engine, tokens: TestDaemon.tokens, maxBodyBytes: 1024, integrations: TestDaemon.integrations).routes()
        try #require(registered.count > 30, "the router lists its routes: \(registered)")
        #expect(registered.contains(Route(method: "GET", path: "/api/v1/incidents/{id}")), "paths read as OpenAPI writes them: \(registered)")
        let documented = try Self.routes(in: try Self.yamlDocument())
        let missing = Set(registered).subtracting(documented).sorted()
        let extra = Set(documented).subtracting(registered).sorted()
        #expect(missing.isEmpty, "routes the server registers that Deploy/openapi.yaml does not list: \(missing)")
        #expect(extra.isEmpty, "routes Deploy/openapi.yaml lists that the server does not register: \(extra)")
        #expect(registered.count == Set(registered).count, "no route registered twice")
    }

    @Test func openAPIJSONServesTheYAMLDocumentWithoutAToken() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let response = await daemon.request("GET", "/openapi.json", token: nil)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let served = try JSONSerialization.jsonObject(with: response.body)
        #expect(try Self.canonical(served) == Self.canonical(try Self.yamlDocument()),
                "Sources/TocsinHTTP/OpenAPI/openapi.json differs from Deploy/openapi.yaml; run `make openapi`")
        #expect((served as? [String: Any])?["openapi"] as? String == "3.1.0")
        for secret in Array(TestDaemon.tokens.keys) + [TestDaemon.ackSecret, TestDaemon.grafanaSecret] {
            #expect(!response.text.contains(secret))
        }
        let snapshot = try daemon.snapshot()
        let put = await daemon.request("PUT", "/openapi.json", token: nil, body: "{}")
        #expect(put.status == 405 && put.headers["allow"] == "GET" && put.headers["content-type"] == "application/problem+json")
        #expect(try daemon.snapshot() == snapshot)
    }
}
