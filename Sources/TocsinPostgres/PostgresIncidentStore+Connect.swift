import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

extension PostgresIncidentStore {
    /// Opens connections, as `open` for `init`, to the first of `hosts` that answers within
    /// `connectTimeout` and, when `readWriteOnly`, takes writes (a standby says its transactions
    /// are read-only and is passed over). Each new connection tries every host again in order,
    /// so after a failover the store finds the promoted replica by itself.
    public static func connecting(hosts: [(name: String, port: Int)], username: String, password: String?, database: String,
                                  readWriteOnly: Bool = true, connectTimeout: Duration = .seconds(2),
                                  logger: Logger = Logger(label: "tocsin.postgres")) -> @Sendable () throws -> PostgresConnection {
        let ids = Atomic<Int>(0)
        let hosts = hosts.map { Endpoint(name: $0.name, port: $0.port) }
        return {
            var failures: [String] = []
            for host in hosts {
                var configuration = PostgresConnection.Configuration(host: host.name, port: host.port, username: username, password: password,
                                                                     database: database, tls: .disable)
                configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
                                                                    + connectTimeout.components.attoseconds / 1_000_000_000)
                let id = ids.wrappingAdd(1, ordering: .relaxed).newValue
                do {
                    let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                                    id: id, logger: logger).wait()
                    guard readWriteOnly else { return connection }
                    let readOnly = Result { try PostgresSession(statements: PreparedStatements(connection), logger: logger).value("SHOW transaction_read_only", as: String.self) }
                    if case .success("off") = readOnly { return connection }
                    try? connection.close().wait()
                    failures.append("\(host.name):\(host.port) " + ((try? readOnly.get()).map { _ in "takes no writes (a standby)" } ?? "did not answer"))
                } catch {
                    failures.append("\(host.name):\(host.port): \(PostgresConnections.describe(error))")
                }
            }
            throw ConnectionFailure(description: failures.joined(separator: "; "))
        }
    }

    private struct Endpoint: Sendable {
        var name: String
        var port: Int
    }

    /// Why no host would do.
    struct ConnectionFailure: Error, CustomStringConvertible {
        var description: String
    }
}
