import Foundation
import TocsinPager
import TocsinTestSupport

/// The benchmark's third column: three tocsind sharing one PostgreSQL database on this machine,
/// the server writing its log to disk before every commit returns (`fsync` and
/// `synchronous_commit` on), so that every 2xx is durable as on a production primary.
final class PostgresCluster: Sendable {
    static let size = 3
    let server: ScratchPostgres
    let instances: [ServerProcess]
    let urls: [String]
    static let database = "tocsin_bench"

    init(repository: URL, folder: URL, receiverPort: Int) async throws {
        server = try await ScratchPostgres.started(durable: true)
        let ports = (0..<Self.size).map { 39_181 + $0 }
        urls = ports.map { "http://127.0.0.1:\($0)" }
        let address = "postgres://\(server.username)@127.0.0.1:\(server.port)/\(Self.database)"
        instances = try ports.enumerated().map { index, port in
            try Peers.tocsind(repository: repository, folder: folder.appendingPathComponent("tocsin-postgres-\(index)"), port: port,
                              database: address, receiverPort: receiverPort)
        }
    }

    /// The address of a new, empty database on the same server.
    func emptyDatabase(_ name: String) throws -> String {
        try server.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try server.psql("CREATE DATABASE \(name)")
        return "postgres://\(server.username)@127.0.0.1:\(server.port)/\(name)"
    }

    /// Stops the instances, empties the database, starts them again (one after the other: the
    /// first creates the schema).
    func startFresh() async throws {
        try emptied()
        for instance in instances { try await instance.start() }
    }

    /// Stops the instances and drops what the loads wrote; the server also writes its changed
    /// pages now, so that its next checkpoint does not fall inside another server's measurement.
    func settle() throws {
        try emptied()
        _ = try server.psql("CHECKPOINT")
    }

    private func emptied() throws {
        stopAll()
        _ = try emptyDatabase(Self.database)
    }

    func stopAll() {
        instances.forEach { $0.stop() }
    }

    /// The same load on every instance at once, in `connections` connections in all; the sum of
    /// the instances' rates.
    func requestsPerSecond(path: String, bodyTemplate: Wrk.BodyTemplate, batch: Int, token: String, connections: Int = 33, folder: URL) async throws -> Double {
        try await withThrowingTaskGroup(of: Double.self) { group in
            for url in urls {
                group.addTask {
                    try await onOwnThread {
                        try Wrk.requestsPerSecond(url: url, path: path, bodyTemplate: bodyTemplate, batch: batch, token: token,
                                                  connections: connections / Self.size, folder: folder)
                    }
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// A probe alert to the instances in turn.
    func sendProbe(_ id: String, number: Int) async -> HTTPTransfer.Response {
        await Peers.sendTocsinProbe(id, to: urls[number % urls.count])
    }

    func stop() {
        stopAll()
        server.stop()
    }
}
