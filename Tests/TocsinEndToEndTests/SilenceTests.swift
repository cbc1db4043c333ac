import Foundation
import Testing
import TocsinCore

/// Silences and maintenance windows: a silenced alert is recorded (its incident opens with a
/// `silenced` event naming the silence) but pages nobody; if it still fires when the silence
/// ends, paging starts then.
@Suite struct SilenceTests {
    static func silence(_ daemon: TestDaemon, matchers: String = #"[{"name": "service", "value": "payments-core"}]"#,
                        startsIn: TimeInterval? = nil, lasts: TimeInterval = 3600, comment: String = "Ledger failover drill",
                        token: String = "token-chen") async -> (status: Int?, json: [String: Any]) {
        let now = daemon.clock.now()
        let start = startsIn.map { now.addingTimeInterval($0) } ?? now
        var body = #"{"matchers": \#(matchers), "ends_at": "\#(UTCTime.string(start.addingTimeInterval(lasts)))", "comment": "\#(comment)""#
        if let startsIn { body += #", "starts_at": "\#(UTCTime.string(now.addingTimeInterval(startsIn)))""# }
        let response = await daemon.request("POST", "/api/v1/silences", token: token, body: body + "}")
        return (response.status, response.json)
    }

    @Test(arguments: StoreBackend.all) func silencedAlertIsRecordedPagesNobodyAndPagesWhenTheSilenceEndsWhileItStillFires(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let created = await Self.silence(daemon, lasts: 1800)
        #expect(created.status == 201)
        #expect(created.json["created_by"] as? String == "chen.wei")
        #expect(created.json["state"] as? String == "active")

        let response = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        #expect(response.json["opened_incidents"] as? [Int] == [1])
        await daemon.advance(by: 1799.999)
        #expect(daemon.listener.pages.isEmpty, "nobody is paged while the silence holds")
        let alert = try #require(try daemon.engine.store.alerts().first)
        #expect(alert.silencedBy == 1)
        let silenced = try #require(try daemon.engine.store.timeline(1).first { $0.kind == .silenced })
        #expect(silenced.detail["silence"] == "1")
        #expect(silenced.detail["created_by"] == "chen.wei")
        #expect(silenced.detail["comment"] == "Ledger failover drill")
        #expect(silenced.detail["matchers"] == #"service="payments-core""#)

        await daemon.advance(by: 0.001)
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"], "still firing when the silence ends: the commander is paged")
        let events = try daemon.engine.store.timeline(1)
        let ended = try #require(events.first { $0.kind == .silenceEnded })
        #expect(ended.at == (try daemon.engine.store.incident(1).openedAt).addingTimeInterval(1800))
        // The escalation counts from the end of the silence.
        await daemon.advance(by: 299.999)
        #expect(daemon.listener.pages.count == 1)
        await daemon.advance(by: 0.001)
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei", "/priya.raman"])
    }

    @Test(arguments: StoreBackend.all) func silencedAlertThatResolvesUnderTheSilenceNeverPages(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await Self.silence(daemon, lasts: 600)
        let start = daemon.clock.now()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        await daemon.advance(by: 300)
        _ = await daemon.postAlert(TestDaemon.alertJSON(status: "resolved", startsAt: start))
        await daemon.advance(by: 3600)
        #expect(daemon.listener.pages.isEmpty)
        #expect(try daemon.engine.store.timeline(1).map(\.kind) == [.incidentOpened, .alertReceived, .severitySet, .silenced, .alertResolved])
    }

    @Test(arguments: StoreBackend.all) func endingASilenceEarlyStartsPagingAtOnceAndIsRecorded(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await Self.silence(daemon)
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.advance(by: 60)
        #expect(daemon.listener.pages.isEmpty)
        let ended = await daemon.request("DELETE", "/api/v1/silences/1", token: "token-priya")
        #expect(ended.status == 200)
        #expect(ended.json["expired_by"] as? String == "priya.raman")
        #expect(ended.json["state"] as? String == "expired")
        await daemon.runDue()
        #expect(daemon.listener.pages.map(\.path) == ["/chen.wei"])
        #expect(try daemon.engine.store.timeline(1).first { $0.kind == .silenceEnded }?.detail["ended_by"] == "priya.raman")
        let again = await daemon.request("DELETE", "/api/v1/silences/1", token: "token-priya")
        #expect(again.status == 409)
        let listed = await daemon.request("GET", "/api/v1/silences", token: "token-chen")
        #expect((try JSONSerialization.jsonObject(with: listed.body) as? [Any])?.isEmpty == true, "ended silences are listed only with ?all=true")
        let all = await daemon.request("GET", "/api/v1/silences?all=true", token: "token-chen")
        #expect((try JSONSerialization.jsonObject(with: all.body) as? [Any])?.count == 1)
    }

    @Test(arguments: StoreBackend.all) func maintenanceWindowHoldsOnlyAlertsThatArriveDuringIt(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let window = await Self.silence(daemon, matchers: #"[{"name": "scenario", "value": "total_.*", "regex": true}, {"name": "team", "value": "vendor", "equal": false}]"#,
                                        startsIn: 600, lasts: 1200, comment: "Planned core switch upgrade")
        #expect(window.status == 201)
        #expect(window.json["state"] as? String == "pending")
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "before", startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.listener.pages.count == 1, "before the window opens, alerts page as usual")
        await daemon.advance(by: 600)
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "during", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "other-scenario", startsAt: daemon.clock.now(), scenario: "settlement"))
        await daemon.runDue()
        let silencedBy = Dictionary(uniqueKeysWithValues: try daemon.engine.store.alerts().map { ($0.report.dedupKey, $0.silencedBy) })
        #expect(silencedBy["during"] == .some(1))
        #expect(silencedBy["other-scenario"] == .some(nil))
        #expect(silencedBy["before"] == .some(nil))
        #expect(daemon.listener.pages.filter { $0.json["incident_id"] as? Int == 2 }.isEmpty, "the alert in the window pages nobody")
    }

    struct BadSilence: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var token: String
        var status: Int
        var detail: String
        var testDescription: String { name }
    }

    static let badSilences: [BadSilence] = [
        BadSilence(name: "no matchers", body: #"{"matchers": [], "ends_at": "2030-01-01T00:00:00Z", "comment": "x"}"#, token: "token-chen", status: 400, detail: "at least one matcher"),
        BadSilence(name: "matches everything", body: #"{"matchers": [{"name": "team", "value": ".*", "regex": true}], "ends_at": "2030-01-01T00:00:00Z", "comment": "x"}"#,
                   token: "token-chen", status: 400, detail: "would hold every alert"),
        BadSilence(name: "bad regex", body: #"{"matchers": [{"name": "service", "value": "(", "regex": true}], "ends_at": "2030-01-01T00:00:00Z", "comment": "x"}"#,
                   token: "token-chen", status: 400, detail: "not a valid regular expression"),
        BadSilence(name: "ends in the past", body: #"{"matchers": [{"name": "service", "value": "x"}], "ends_at": "2020-01-01T00:00:00Z", "comment": "x"}"#,
                   token: "token-chen", status: 400, detail: "already past"),
        BadSilence(name: "ends before it starts", body: #"{"matchers": [{"name": "service", "value": "x"}], "starts_at": "2030-02-01T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z", "comment": "x"}"#,
                   token: "token-chen", status: 400, detail: "must be after starts_at"),
        BadSilence(name: "no comment", body: #"{"matchers": [{"name": "service", "value": "x"}], "ends_at": "2030-01-01T00:00:00Z", "comment": " "}"#,
                   token: "token-chen", status: 400, detail: "Say why"),
        BadSilence(name: "unknown field", body: #"{"matchers": [{"name": "service", "value": "x"}], "ends_at": "2030-01-01T00:00:00Z", "comment": "x", "createdBy": "me"}"#,
                   token: "token-chen", status: 400, detail: "Unknown field \"createdBy\""),
        BadSilence(name: "an integration's token", body: #"{"matchers": [{"name": "service", "value": "x"}], "ends_at": "2030-01-01T00:00:00Z", "comment": "x"}"#,
                   token: "token-alertmanager", status: 403, detail: "silencing alerts needs a person's token"),
    ]

    @Test(arguments: badSilences, StoreBackend.all)
    func badSilenceIsRefusedAndChangesNothing(_ item: BadSilence, _ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        let before = try daemon.snapshot()
        let response = await daemon.request("POST", "/api/v1/silences", token: item.token, body: item.body)
        #expect(response.status == item.status)
        #expect((response.json["detail"] as? String)?.contains(item.detail) == true, "detail was: \(response.text)")
        #expect(try daemon.snapshot() == before)
    }
}
