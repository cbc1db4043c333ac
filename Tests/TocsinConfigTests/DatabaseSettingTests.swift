import Foundation
import Testing
import TocsinConfig

/// `database:` takes a file path (SQLite) or a PostgreSQL address with several hosts; the
/// password comes from the environment, never the file.
@Suite struct DatabaseSettingTests {
    func load(_ value: String, environment: [String: String] = [:]) throws -> TocsinConfiguration {
        let folder = try ConfigFolder()
        try folder.replace("database: ../var/tocsin.sqlite", with: "database: \"\(value)\"", in: "Deploy/tocsin.yaml")
        return try TocsinConfiguration.load(path: folder.configPath, environment: environment)
    }

    @Test func aPostgresAddressWithSeveralHostsAndThePasswordFromTheEnvironment() throws {
        let config = try load("postgres://tocsin@db-a:5433,db-b/tocsin?target_session_attrs=read-write",
                              environment: [PostgresAddress.passwordVariable: "s3cret"])
        guard case .postgres(let address) = config.database else { Issue.record("expected PostgreSQL, got \(config.database)"); return }
        #expect(address.hosts == [.init(name: "db-a", port: 5433), .init(name: "db-b", port: 5432)])
        #expect(address.username == "tocsin" && address.database == "tocsin" && address.readWriteOnly)
        #expect(address.password == "s3cret")
        #expect(!address.description.contains("s3cret"), "logs never show the password")
        guard case .postgres(let any) = try load("postgresql://tocsin@db-a/tocsin?target_session_attrs=any").database else { return }
        #expect(!any.readWriteOnly && any.password == nil)
    }

    @Test(arguments: [
        ("postgres://tocsin:hunter2@db/tocsin", "the password does not belong in the file"),
        ("postgres://tocsin@db", "name the database"),
        ("postgres://db/tocsin", "name the user"),
        ("postgres://tocsin@db:99999/tocsin", "expected a port from 1 to 65535"),
        ("postgres://tocsin@db,,db2/tocsin", "expected HOST or HOST:PORT"),
        ("postgres://tocsin@db/tocsin?sslmode=require", "unknown parameter \"sslmode=require\""),
    ])
    func aBadAddressIsRefusedNamingTheKey(value: String, problem: String) throws {
        #expect {
            try load(value)
        } throws: { error in
            let text = "\(error)"
            return text.contains("tocsin.yaml") && text.contains("database") && text.contains(problem)
        }
    }
}
