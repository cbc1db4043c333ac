import Foundation
import Testing
import TocsinCore
import TocsinStore

/// The announcement of commits the console's live pages wait on: a waiter hears a commit
/// whenever it is made, even between noting the count and starting to wait, and a refused
/// command announces nothing.
@Suite struct RecordChangesTests {
    @Test func everyWaiterHearsACommitMadeBeforeOrWhileItWaits() async {
        let changes = RecordChanges(unheardCommitsWithin: nil)
        let seen = changes.count
        let heard = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { await changes.wait(after: seen, atMost: .seconds(120)) } }
            await Task.yield()
            changes.committed()
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(heard == Array(repeating: true, count: 20))
        #expect(await changes.wait(after: seen, atMost: .seconds(120)), "a commit made before the wait is not slept through")
    }

    @Test func aWaitEndsAtItsLimitOrWhenCancelledWithNothingHeard() async {
        let changes = RecordChanges(unheardCommitsWithin: nil)
        #expect(await changes.wait(after: changes.count, atMost: .milliseconds(1)) == false)
        let waiting = Task { await changes.wait(after: changes.count, atMost: .seconds(120)) }
        waiting.cancel()
        #expect(await waiting.value == false)
    }

    @Test func theStoreAnnouncesWhatItCommitsAndNotWhatItRefuses() async throws {
        let daemon = try await TestDaemon()
        defer { daemon.stop() }
        let changes = daemon.engine.store.changes
        let before = changes.count
        #expect(await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now())).status == 202)
        #expect(changes.count > before)

        let opened = changes.count
        let refused = await daemon.request("POST", "/api/v1/incidents/1/advance", token: "token-chen", body: #"{"to": "closed"}"#)
        #expect(refused.status == 409)
        #expect(changes.count == opened, "a refused command announces nothing")
        #expect(await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-chen", body: #"{"text": "checking"}"#).status == 200)
        #expect(changes.count == opened + 1)
        #expect(try daemon.engine.store.timeline(1, after: 0) == daemon.engine.store.timeline(1))
        let last = try #require(try daemon.engine.store.timeline(1).last)
        #expect(try daemon.engine.store.timeline(1, after: last.sequence - 1) == [last])
        #expect(try daemon.engine.store.timeline(1, after: last.sequence).isEmpty)
    }
}
