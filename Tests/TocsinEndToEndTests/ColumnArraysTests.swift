import Foundation
import NIOCore
import PostgresNIO
import Testing
@testable import TocsinPostgres

/// Rows gathered into one insert and sent as one array a column reach a real PostgreSQL server
/// as their `VALUES` list would have written them: in their order, NULLs and bytes intact, a row
/// that meets a conflict left out.
@Suite struct ColumnArraysTests {
    @Test func rowsArriveInTheirOrderWithTheirNullsAndBytes() async throws {
        let server = try await TestPostgres.server()
        let database = try await TestPostgres.createDatabase(on: server)
        defer { TestPostgres.dropDatabase(database, on: server) }
        let connection = try TestPostgres.connecting(to: database, on: server)()
        defer { try? connection.close().wait() }
        func run(_ statement: PostgresStatement) throws -> [PostgresRow] {
            let (sql, values) = try statement.rendered()
            var bindings = PostgresBindings(capacity: values.count)
            for value in values { bindings.append(value) }
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: TestDaemon.quietLogger).wait().rows
        }
        _ = try run("CREATE TABLE sample (id BIGSERIAL PRIMARY KEY, key TEXT UNIQUE NOT NULL, n BIGINT, body BYTEA, status TEXT)")
        _ = try run("INSERT INTO sample (key, n, body, status) VALUES ('taken', 0, NULL, 'old')")

        var gathered = CombinedWrite()
        var taken: [Bool] = []
        let rows: [(key: String, n: Int64?, body: [UInt8])] = [("zulu", 3, [0, 1, 255]), ("taken", 9, [9]), ("alpha", nil, []), ("mike", 1, [7, 7])]
        for row in rows {
            taken.append(gathered.take("""
                INSERT INTO sample (key, status, n, body) VALUES (\(row.key), 'new', \(row.n), \(ByteBuffer(bytes: row.body))) ON CONFLICT (key) DO NOTHING
                """))
        }
        #expect(taken == [true, true, true, true])
        let statement = gathered.statement()
        #expect(try statement.rendered().sql.contains("FROM unnest("))
        _ = try run(statement)

        let stored = try run("SELECT key, n, body, status FROM sample ORDER BY id").map { row in
            let (key, n, body, status) = try row.decode((String, Int64?, ByteBuffer?, String).self)
            return "\(key) \(n.map(String.init) ?? "NULL") \(body.map { Array($0.readableBytesView).map(String.init).joined(separator: ",") } ?? "NULL") \(status)"
        }
        #expect(stored == ["taken 0 NULL old", "zulu 3 0,1,255 new", "alpha NULL  new", "mike 1 7,7 new"])
    }
}
