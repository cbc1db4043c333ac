import Logging
import PostgresNIO
import TocsinConfig

extension PostgresIncidentStore {
    /// Opens connections, as `connecting(hosts:…)` does, to the database `address` names; a
    /// standby will do when `readWriteOnly` is false, else as the address says.
    public static func connecting(to address: PostgresAddress, readWriteOnly: Bool? = nil, logger: Logger) -> @Sendable () throws -> PostgresConnection {
        connecting(hosts: address.hosts.map { ($0.name, $0.port) }, username: address.username, password: address.password, database: address.database,
                   readWriteOnly: readWriteOnly ?? address.readWriteOnly, logger: logger)
    }
}
