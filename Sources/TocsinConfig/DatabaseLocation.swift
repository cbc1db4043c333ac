import Foundation

/// Where `tocsind` keeps its record: an SQLite file of its own, or a PostgreSQL database that
/// several instances share.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }
}

/// A PostgreSQL database as `database:` names it: `postgres://USER@HOST[:PORT][,HOST[:PORT]…]/NAME`,
/// optionally `?target_session_attrs=read-write|any`. With several hosts, an instance connects to
/// the first that is up and (by default) takes writes: after a failover, the promoted replica.
/// The password never stands in the file; it comes from `TOCSIN_DATABASE_PASSWORD`.
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    public struct Host: Sendable, Hashable {
        public var name: String
        public var port: Int

        public init(name: String, port: Int) {
            self.name = name
            self.port = port
        }
    }

    public var hosts: [Host]
    public var username: String
    public var database: String
    public var password: String?
    /// Only a server that takes writes will do (libpq's `target_session_attrs=read-write`).
    public var readWriteOnly: Bool

    public static let passwordVariable = "TOCSIN_DATABASE_PASSWORD"

    /// Reads `text`; throws a sentence saying what is wrong with it.
    public init(url text: String, password: String?) throws {
        guard let schemeEnd = text.range(of: "://"), ["postgres", "postgresql"].contains(text[..<schemeEnd.lowerBound]) else {
            throw AddressError("expected postgres://USER@HOST:PORT/DATABASE")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/"), case let name = rest[rest.index(after: slash)...], !name.isEmpty else {
            throw AddressError("name the database after the hosts: postgres://USER@HOST:PORT/DATABASE")
        }
        database = String(name)
        var authority = rest[..<slash]
        guard let at = authority.lastIndex(of: "@"), case let user = authority[..<at], !user.isEmpty else {
            throw AddressError("name the user before the hosts: postgres://USER@HOST:PORT/DATABASE")
        }
        guard !user.contains(":") else {
            throw AddressError("the password does not belong in the file; set \(Self.passwordVariable) in tocsind's environment")
        }
        username = String(user)
        authority = authority[authority.index(after: at)...]
        hosts = try authority.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard !entry.isEmpty, parts.count <= 2, !parts[0].isEmpty else { throw AddressError("expected HOST or HOST:PORT, got \"\(entry)\"") }
            guard let port = parts.count == 2 ? Int(parts[1]) : 5432, (1...65535).contains(port) else {
                throw AddressError("expected a port from 1 to 65535 in \"\(entry)\"")
            }
            return Host(name: String(parts[0]), port: port)
        }
        readWriteOnly = true
        for parameter in query.split(separator: "&") {
            switch parameter {
            case "target_session_attrs=read-write": readWriteOnly = true
            case "target_session_attrs=any": readWriteOnly = false
            default: throw AddressError("unknown parameter \"\(parameter)\"; Tocsin knows target_session_attrs=read-write|any")
            }
        }
        self.password = password
    }

    /// The address without its password, for logs.
    public var description: String {
        "postgres://\(username)@\(hosts.map { "\($0.name):\($0.port)" }.joined(separator: ","))/\(database)"
    }
}

/// What is wrong with a `database:` address.
struct AddressError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
