import Foundation
import Hummingbird
import Synchronization
import TocsinTestSupport

/// A tiny metrics endpoint on 127.0.0.1 that Prometheus scrapes, serving one gauge the test
/// sets: how the test makes a real alerting rule fire, and stop firing.
final class ScrapeTarget: Sendable {
    private let value: Mutex<Double>
    private let running: Mutex<RunningApplication?> = Mutex(nil)
    let metric = "tocsin_test_payment_error_ratio"

    init(value: Double) {
        self.value = Mutex(value)
    }

    func set(_ newValue: Double) { value.withLock { $0 = newValue } }

    /// Starts serving `/metrics`; returns the port.
    func start() async throws -> Int {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let text = "# TYPE \(self.metric) gauge\n\(self.metric) \(self.value.withLock { $0 })\n"
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let started = try await RunningApplication.start("the scrape target") { onListening in
            Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: try LoopbackPort.free())),
                        onServerRunning: { await onListening($0.localAddress?.port ?? 0) }, logger: TocsinBuild.quietLogger)
        }
        running.withLock { $0 = started }
        return started.port
    }

    func stop() async {
        await running.withLock { $0 }?.stop()
    }
}
