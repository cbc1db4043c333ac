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

    @Test func aFiringPassDeletesItsTimersAndWritesTheNextStepsInOneStatementWithTheSettingAndTheCheck() throws {
        var gathered = CombinedWrite()
        gathered.commitsWithoutWaiting = true
        gathered.checks.append("SELECT 1 AS held")
        var deletion: PostgresWrite = "DELETE FROM timer WHERE id = ANY(\([Int64(3), 4]))"
        deletion.incidents = [7]
        var nextStep: PostgresWrite = "INSERT INTO timer (kind, incident_id) VALUES (\("escalation"), \(Int64(7)))"
        nextStep.incidents = [7]
        let taken = [gathered.take(deletion), gathered.take(event(9)), gathered.take(nextStep)]
        #expect(taken == [true, true, true], "a timer added need not see the deletion before it")
        let (sql, _) = try gathered.statement().rendered()
        #expect(sql.hasPrefix("WITH w0 AS (DELETE FROM timer"), "\(sql)")
        #expect(sql.hasSuffix(" SELECT (SELECT 1 AS held), set_config('synchronous_commit', 'off', true)"), "\(sql)")
        #expect(gathered.isEmpty)
    }

    @Test func whatGoesWithTheWritesIsNotSentBeforeAReadAndTheSettingAloneNotAtAll() throws {
        var gathered = CombinedWrite()
        gathered.commitsWithoutWaiting = true
        #expect(gathered.isEmpty, "a transaction that writes nothing need not say how to commit")
        gathered.checks.append("SELECT 1 AS held")
        #expect(!gathered.hasWrites && !gathered.isEmpty, "a check waits for the writes, or goes before the commit")
        let took = gathered.take(event(1))
        #expect(took && gathered.hasWrites)
    }

    @Test func aChangeWaitsForTheWritesToItsRowsBeforeIt() throws {
        // In one statement the update would not see the page it is to cancel.
        var gathered = CombinedWrite()
        var page: PostgresWrite = "INSERT INTO page (incident_id, person) VALUES (\(Int64(7)), \("chen.wei"))"
        page.incidents = [7]
        var cancel: PostgresWrite = "UPDATE page SET status = 'cancelled' WHERE incident_id = \(Int64(7))"
        cancel.incidents = [7]
        var elsewhere: PostgresWrite = "UPDATE page SET status = 'cancelled' WHERE incident_id = \(Int64(8))"
        elsewhere.incidents = [8]
        #expect([gathered.take(page), gathered.take(elsewhere), gathered.take(cancel)] == [true, true, false])
    }
}
