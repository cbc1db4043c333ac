import Hummingbird

/// `GET /openapi.json`: the API contract, `Deploy/openapi.yaml` as JSON, without a token.
///
/// The JSON is built into the binary (`make openapi` writes it from the YAML; a test keeps
/// the two the same), so a running daemon always serves the contract of its own routes.
struct OpenAPIRoutes {
    func add(to router: RouteTable) {
        router.get("/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
    }
}
