import Foundation
import Testing
@testable import TocsinPostgres

/// What a transaction's writes cost in round trips to PostgreSQL: the events an incident's
/// opening appends, however many, go in one `VALUES` list of the one statement that carries
/// its page and timers too.
@Suite struct GatheredWriteTests {
    private func event(_ sequence: Int, incident: Int64 = 7) -> PostgresWrite {
        var write: PostgresWrite = """
            INSERT INTO event (incident_id, seq, kind) VALUES (\(incident), \(sequence), \("page_queued"))
            """
        write.incidents = [incident]
        return write
    }

    @Test func fiveEventsAPageAndATimerAreOneStatement() throws {
        var gathered = CombinedWrite()
        var taken: [Bool] = []
        for sequence in 1...3 { taken.append(gathered.take(event(sequence))) }
        taken.append(gathered.take("INSERT INTO page (incident_id, person) VALUES (\(Int64(7)), \("chen.wei"))"))
        for sequence in 4...5 { taken.append(gathered.take(event(sequence))) }
        taken.append(gathered.take("INSERT INTO timer (kind, incident_id) VALUES (\("escalation"), \(Int64(7)))"))
        #expect(taken == Array(repeating: true, count: 7), "a write refused means what is gathered goes on its own")
        let (sql, values) = try gathered.statement().rendered()
        #expect(sql.components(separatedBy: "INSERT INTO event").count == 2, "one insert of events: \(sql)")
        #expect(sql.contains("VALUES ($1::BIGINT, $2::BIGINT, $3::TEXT), ($4::BIGINT, $5::BIGINT, $6::TEXT), ($7::BIGINT"), "\(sql)")
        #expect(values.count == 5 * 3 + 2 + 2)
        #expect(gathered.isEmpty)
    }

    @Test func anInsertOfTheSameTableInAnotherShapeWaitsForTheNextStatement() throws {
        // Two clauses into one table would give their rows ids in no set order.
        var gathered = CombinedWrite()
        var other: PostgresWrite = "INSERT INTO event (incident_id, seq, kind, actor) VALUES (\(Int64(7)), \(3), \("note"), \("chen.wei"))"
        other.incidents = [7]
        let taken = [gathered.take(event(1)), gathered.take(event(2)), gathered.take(other)]
        #expect(taken == [true, true, false])
        let (sql, values) = try gathered.statement().rendered()
        #expect(sql.hasSuffix("VALUES ($1::BIGINT, $2::BIGINT, $3::TEXT), ($4::BIGINT, $5::BIGINT, $6::TEXT)"), "\(sql)")
        #expect(values.count == 6)
    }

    @Test func aLockGoesWithTheWritesBeforeItAndTheSettingWithTheWritesAfter() throws {
        var gathered = CombinedWrite()
        gathered.commitsWithoutWaiting = true
        let tookDeletion = gathered.take("DELETE FROM timer WHERE id = ANY(\([Int64(3), 4]))")
        #expect(tookDeletion)
        let (lock, _) = try gathered.statement(before: "SELECT * FROM incident WHERE id = ANY(\([Int64(7)])) ORDER BY id FOR UPDATE").rendered()
        #expect(lock == "WITH w0 AS (DELETE FROM timer WHERE id = ANY($1::BIGINT[])) SELECT * FROM incident WHERE id = ANY($2::BIGINT[]) ORDER BY id FOR UPDATE")
        #expect(!gathered.isEmpty, "the setting waits for the next writes")
        let tookEvent = gathered.take(event(9))
        #expect(tookEvent)
        let (writes, _) = try gathered.statement().rendered()
        #expect(writes.hasPrefix("WITH w0 AS (INSERT INTO event"))
        #expect(writes.hasSuffix(" SELECT set_config('synchronous_commit', 'off', true)"))
        #expect(gathered.isEmpty)
    }
}
