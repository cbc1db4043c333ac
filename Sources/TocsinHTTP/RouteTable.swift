import Hummingbird

/// The router `tocsind` serves from, noting each route as it is added: the list the API
/// contract (`Deploy/openapi.yaml`) is checked against comes from the routes themselves.
final class RouteTable: RouterMethods {
    typealias Context = BasicRequestContext

    let router: Router<BasicRequestContext>
    private(set) var routes: [Route] = []

    init(_ router: Router<BasicRequestContext>) {
        self.router = router
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == BasicRequestContext {
        routes.append(Route(method: method.rawValue, path: path.description))
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, BasicRequestContext>) -> Self {
        router.add(middleware: middleware)
        return self
    }
}

/// One method on one path, written as OpenAPI writes it (`/api/v1/incidents/{id}`).
public struct Route: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var method: String
    public var path: String

    public init(method: String, path: String) {
        self.method = method.uppercased()
        self.path = path
    }

    public var description: String { "\(method) \(path)" }

    public static func < (lhs: Route, rhs: Route) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
}
