import Foundation
import Logging
import PostgresNIO
import Testing
import TocsinPostgres
import TocsinStore
import TocsinTestSupport

/// Where a test daemon keeps its record: the embedded SQLite file, or a database of its own on
/// the PostgreSQL server started for the test run. Suites that hold for both take each in turn.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let all = allCases

    var testDescription: String { rawValue }
}

/// The PostgreSQL server the tests share, each test daemon in a database of its own.
enum TestPostgres {
    struct Server: Sendable {
        var host: String
        var port: Int
        var username: String
        var password: String?

        init(host: String, port: Int, username: String, password: String?) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }

        init(_ scratch: ScratchPostgres) {
            self.init(host: "127.0.0.1", port: scratch.port, username: scratch.username, password: nil)
        }
    }

    /// A server started for this test run, or the one `TOCSIN_TEST_POSTGRES` (`host:port`,
    /// user `postgres`) names.
    static func server() async throws -> Server {
        guard let address = ProcessInfo.processInfo.environment["TOCSIN_TEST_POSTGRES"] else {
            return Server(try await ScratchPostgres.shared())
        }
        let parts = address.split(separator: ":")
        return Server(host: String(parts[0]), port: Int(parts[1]) ?? 5432, username: "postgres", password: nil)
    }

    static func connecting(to database: String, on server: Server) -> @Sendable () throws -> PostgresConnection {
        // A loaded test machine may take longer than production's two seconds to fork a backend.
        PostgresIncidentStore.connecting(hosts: [(server.host, server.port)], username: server.username, password: server.password, database: database,
                                         connectTimeout: .seconds(15), logger: TestDaemon.quietLogger)
    }

    /// Creates an empty database and returns its name.
    static func createDatabase(on server: Server) async throws -> String {
        let name = "tocsin_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await onOwnThread { try administer("CREATE DATABASE \(name)", on: server) }
        return name
    }

    /// Drops a test's database on a thread of its own, without waiting: a test's `defer` calls
    /// it, and the scratch server goes with the test process anyway.
    static func dropDatabase(_ name: String, on server: Server) {
        Thread { try? administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server) }.start()
    }

    /// Every row of every table of `database` (but the migrations' own), as text.
    static func snapshot(of database: String, on server: Server) throws -> String {
        let connection = try connecting(to: database, on: server)()
        defer { try? connection.close().wait() }
        func strings(_ sql: String) throws -> [String] {
            try connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDaemon.quietLogger).wait().rows.map { row in
                try row.makeRandomAccess()[0].decode(String.self)
            }
        }
        let tables = try strings("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration' ORDER BY 1")
        return try tables.map { table in
            "\(table):\n" + (try strings("SELECT COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM \"\(table)\" t").first ?? "")
        }.joined(separator: "\n")
    }

    /// Runs one statement in `database`, as someone with access to the server would.
    static func execute(_ sql: String, in database: String, on server: Server) throws {
        try administer(sql, in: database, on: server)
    }

    private static func administer(_ sql: String, in database: String = "postgres", on server: Server) throws {
        let connection = try connecting(to: database, on: server)()
        defer { try? connection.close().wait() }
        _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDaemon.quietLogger).wait()
    }
}
