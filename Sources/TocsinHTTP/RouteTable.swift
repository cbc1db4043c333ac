import Hummingbird
import Synchronization

/// The router `tocsind` serves from, noting each route as it is added: the list the API
/// contract (`Deploy/openapi.yaml`) is checked against comes from the routes themselves, and
/// a request with a method a path does not answer is told which methods it does.
final class RouteTable: RouterMethods {
    typealias Context = BasicRequestContext

    let router: Router<BasicRequestContext>
    let registered = RegisteredRoutes()

    init(_ router: Router<BasicRequestContext>) {
        self.router = router
    }

    var routes: [Route] { registered.all }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self
    where Responder.Context == BasicRequestContext {
        registered.add(Route(method: method.rawValue, path: path.description))
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

/// The routes added so far, readable while the server answers.
final class RegisteredRoutes: Sendable {
    private let routes = Mutex<[Route]>([])

    var all: [Route] { routes.withLock { $0 } }

    func add(_ route: Route) {
        routes.withLock { $0.append(route) }
    }

    /// The methods answered at `path`, a request's path, as the router matches it: against the
    /// most specific route that fits, where a fixed segment wins over a `{parameter}`.
    func methods(at path: String) -> [String] {
        let segments = path.split(separator: "/")
        let fitting = all.filter { route in
            let template = route.path.split(separator: "/")
            return template.count == segments.count
                && zip(template, segments).allSatisfy { pattern, segment in pattern.hasPrefix("{") || pattern == segment }
        }
        // Which segments are fixed; compared position by position, a fixed one beats a parameter.
        func fixedSegments(_ route: Route) -> [Bool] { route.path.split(separator: "/").map { !$0.hasPrefix("{") } }
        guard let best = fitting.map(fixedSegments).max(by: { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }) else { return [] }
        return Set(fitting.filter { fixedSegments($0) == best }.map(\.method)).sorted()
    }
}
