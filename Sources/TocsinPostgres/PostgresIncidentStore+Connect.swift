import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

extension PostgresIncidentStore {
    /// Opens connections to one server, as `open` for `init`.
    public static func connecting(host: String, port: Int, username: String, password: String?, database: String,
                                  logger: Logger = Logger(label: "tocsin.postgres")) -> @Sendable () throws -> PostgresConnection {
        let ids = Atomic<Int>(0)
        return {
            let configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database,
                                                                 tls: .disable)
            let id = ids.wrappingAdd(1, ordering: .relaxed).newValue
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: id,
                                                  logger: logger).wait()
        }
    }
}
