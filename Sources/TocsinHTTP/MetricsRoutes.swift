import Hummingbird
import TocsinEngine

/// `GET /metrics`: Prometheus's text format, without a token. It holds counts, durations
/// and the names of channels, stages and severities only: no token, person, address or alert text.
struct MetricsRoutes {
    let engine: Engine
    let exposition: MetricsExposition

    func add(to router: RouteTable) {
        router.get("/metrics") { [engine, exposition] _, _ -> Response in
            let text = exposition.scrape(engine.store, now: engine.clock.now())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}
