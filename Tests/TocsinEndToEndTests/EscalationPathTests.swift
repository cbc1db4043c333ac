import Foundation
import Testing
import TocsinCore

/// Every escalation path, through the real store, engine, HTTP API and receiver, on a manual clock.
@Suite struct EscalationPathTests {
    static func policy(_ steps: [EscalationStep], repeatCount: Int = 0, repeatAfter: Duration? = nil, ackTimeout: Duration? = nil) -> EscalationPolicies {
        EscalationPolicies(default: EscalationPolicy(steps: steps, repeatCount: repeatCount, repeatAfter: repeatAfter, ackTimeout: ackTimeout))
    }

    static let bothMustAcknowledgeThenLeadership = [
        EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary), .role(.technicalCoordinator, .primary)], everyoneMustAcknowledge: true),
        EscalationStep(delay: .seconds(300), targets: [.role(.leadership, .primary)]),
    ]

    static let commanderThenBackup = [
        EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
        EscalationStep(delay: .seconds(300), targets: [.role(.faultAnalyst, .backup)]),
    ]

    @Test(arguments: StoreBackend.all) func everyoneMustAcknowledgeKeepsEscalatingUntilTheLastOneDoes(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.escalation = Self.policy(Self.bothMustAcknowledgeThenLeadership) }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(Set(daemon.escalationPages.map(\.path)) == ["/chen.wei", "/sam.okafor"])

        daemon.clock.advance(by: 10)
        let first = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        #expect(first.json["waiting_for"] as? [String] == ["sam.okafor"])
        #expect(try daemon.engine.store.incident(1).acknowledgedAt == nil)
        #expect(try daemon.events(.acknowledgedPartially).first?.detail["waiting_for"] == "sam.okafor")

        // Only sam.okafor's acknowledgement completes it.
        let again = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        #expect(again.json["waiting_for"] as? [String] == ["sam.okafor"])
        let last = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-sam")
        #expect(last.json["waiting_for"] as? [String] == [])
        #expect(try daemon.engine.store.incident(1).acknowledgedBy == "sam.okafor")
        await daemon.advance(by: 3600)
        #expect(!daemon.escalationPages.map(\.path).contains("/li.na"), "fully acknowledged: leadership is not paged")
    }

    @Test(arguments: StoreBackend.all) func onePartialAcknowledgementDoesNotStopTheNextLevel(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in rules.escalation = Self.policy(Self.bothMustAcknowledgeThenLeadership) }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        await daemon.advance(by: 299.999)
        #expect(!daemon.escalationPages.map(\.path).contains("/li.na"))
        await daemon.advance(by: 0.001)
        #expect(daemon.escalationPages.map(\.path).last == "/li.na")
        let escalated = try #require(try daemon.events(.escalated).first)
        #expect(escalated.detail["level"] == "2")
    }

    @Test(arguments: StoreBackend.all) func policyRepeatsFromTheFirstStepTheConfiguredNumberOfTimes(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.policy([EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)])], repeatCount: 2, repeatAfter: .seconds(60))
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 59.999)
        #expect(daemon.escalationPages.count == 1)
        await daemon.advance(by: 0.001)
        await daemon.advance(by: 60)
        await daemon.advance(by: 3600)
        #expect(daemon.escalationPages.compactMap(\.idempotencyKey) == [
            "incident-1/step-0/chen.wei/webhook", "incident-1/pass-1/step-0/chen.wei/webhook", "incident-1/pass-2/step-0/chen.wei/webhook",
        ])
        let repeats = try daemon.events(.escalationRepeated)
        #expect(repeats.map { $0.detail["pass"] } == ["1", "2"])
        let opened = try daemon.engine.store.incident(1).openedAt
        #expect(repeats.map(\.at) == [opened.addingTimeInterval(60), opened.addingTimeInterval(120)])
    }

    @Test(arguments: StoreBackend.all) func acknowledgementTimeoutPagesAgainFromTheStartAndTellsTheAcknowledger(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.policy(Self.commanderThenBackup, ackTimeout: .seconds(1800))
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 300)
        #expect(daemon.escalationPages.map(\.path) == ["/chen.wei", "/priya.raman"])
        let ack = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-priya")
        #expect(ack.status == 200)

        await daemon.advance(by: 1799.999)
        #expect(daemon.escalationPages.count == 2, "nothing before the timeout")
        await daemon.advance(by: 0.001)
        let timedOut = try #require(try daemon.events(.acknowledgementTimedOut).first)
        #expect(timedOut.detail["acknowledged_by"] == "priya.raman")
        #expect(try daemon.engine.store.incident(1).acknowledgedAt == nil)
        let after = daemon.escalationPages.dropFirst(2)
        // The acknowledger is told, and the first step pages the commander again.
        let notice = try #require(after.first { $0.path == "/priya.raman" })
        #expect(notice.json["reason"] as? String == "acknowledgement_timed_out")
        #expect(notice.idempotencyKey == "incident-1/pass-1/ack-timeout/priya.raman/webhook")
        #expect(after.contains { $0.idempotencyKey == "incident-1/pass-1/step-0/chen.wei/webhook" })
        #expect(try daemon.events(.escalationRepeated).first?.detail["reason"]?.contains("acknowledgement timed out") == true)

        // Nobody acknowledges again: the backup follows 300 s after the restart.
        await daemon.advance(by: 300)
        #expect(daemon.escalationPages.last?.idempotencyKey == "incident-1/pass-1/step-1/priya.raman/webhook")
        #expect(daemon.listener.duplicates == 0)
    }

    @Test(arguments: StoreBackend.all) func workOnTheIncidentKeepsItsAcknowledgementAndOnlyAForgottenOneTimesOut(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.policy(Self.commanderThenBackup, ackTimeout: .seconds(1800))
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-priya").status == 200)
        let commander = try #require(try daemon.events(.incidentOpened).first?.detail["commander"])
        #expect(commander != "priya.raman")

        // The acknowledger notes at 1500 s, the commander at 3000 s: each keeps the acknowledgement.
        await daemon.advance(by: 1500)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-priya", body: #"{"text":"card auth failing at the acquirer"}"#).status == 200)
        await daemon.advance(by: 1500)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-\(commander.split(separator: ".")[0])",
                                     body: #"{"text":"acquirer engaged"}"#).status == 200)
        // Someone else's note does not.
        await daemon.advance(by: 100)
        #expect(await daemon.request("POST", "/api/v1/incidents/1/note", token: "token-zhou", body: #"{"text":"watching"}"#).status == 200)
        await daemon.advance(by: 1699.999)
        #expect(try daemon.events(.acknowledgementTimedOut).isEmpty, "worked on: the acknowledgement holds, nobody is paged again")
        #expect(daemon.escalationPages.count == 1)

        // Forgotten for the whole timeout after the commander's last act: it times out.
        await daemon.advance(by: 0.001)
        #expect(try daemon.events(.acknowledgementTimedOut).count == 1)
        #expect(try daemon.engine.store.incident(1).acknowledgedAt == nil)
    }

    @Test(arguments: StoreBackend.all) func aResolvedIncidentIsNotPagedAgainWhenItsAcknowledgementTimesOut(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.policy(Self.commanderThenBackup, ackTimeout: .seconds(1800))
        }
        defer { daemon.stop() }
        let start = daemon.clock.now()
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: start))
        await daemon.runDue()
        _ = await daemon.request("POST", "/api/v1/incidents/1/ack", token: "token-chen")
        await daemon.advance(by: 600)
        _ = await daemon.postAlert(TestDaemon.alertJSON(status: "resolved", startsAt: start))
        await daemon.advance(by: 7200)
        #expect(daemon.escalationPages.count == 1)
        #expect(try daemon.events(.acknowledgementTimedOut).isEmpty)
    }

    @Test(arguments: StoreBackend.all) func eachSeverityUsesItsPolicyAndARunningEscalationKeepsItsCopy(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = EscalationPolicies(
                default: EscalationPolicy(steps: [EscalationStep(delay: .zero, targets: [.person("zhang.lei")])], ackTimeout: nil),
                bySeverity: [.sev1: EscalationPolicy(steps: Self.commanderThenBackup, ackTimeout: nil)]
            )
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "sev1", startsAt: daemon.clock.now()))
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "sev2", urgency: "medium", startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(try daemon.engine.store.incident(2).severity == .sev2)
        #expect(Set(daemon.escalationPages.map(\.path)) == ["/chen.wei", "/zhang.lei"])

        // The config changes under a running escalation: the open incident keeps its copy.
        await daemon.stopServer()
        daemon.customize = { rules, _ in
            rules.escalation = Self.policy([
                EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
                EscalationStep(delay: .seconds(300), targets: [.person("li.na")]),
            ])
        }
        try await daemon.startServer()
        await daemon.advance(by: 300)
        #expect(daemon.escalationPages.map(\.path).last == "/priya.raman")
        #expect(!daemon.escalationPages.map(\.path).contains("/li.na"))
    }

    @Test(arguments: StoreBackend.all) func aPersonWhoseEveryContactMethodFailsIsPassedOverAtOnce(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.policy(Self.commanderThenBackup + [EscalationStep(delay: .seconds(600), targets: [.role(.leadership, .primary)])])
            // Nothing listens on port 9: every attempt at the commander fails to connect.
            rules.roster.people["chen.wei"]?.contactMethods = [ContactMethod(webhookURL: "http://127.0.0.1:9/chen.wei"),
                                                             ContactMethod(channel: "chat", webhookURL: "http://127.0.0.1:9/chat")]
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.escalationPages.map(\.path) == ["/priya.raman"], "the backup is paged at once, not after 300 s")
        let passed = try #require(try daemon.events(.passedOver).first)
        #expect(passed.detail["people"] == "chen.wei" && passed.detail["reason"] == "every contact method failed")
        #expect(passed.at == daemon.clock.now())
        // The later step keeps its own schedule; the commander's pages keep retrying meanwhile.
        await daemon.advance(by: 899)
        #expect(!daemon.escalationPages.map(\.path).contains("/li.na"))
        await daemon.advance(by: 1)
        #expect(daemon.escalationPages.map(\.path).last == "/li.na")
        #expect(try daemon.events(.pageFailed).filter { $0.detail["person"] == "chen.wei" }.count >= 4)
    }

    @Test(arguments: StoreBackend.all) func aPersonWithNoContactMethodIsPassedOverWithoutWaiting(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, _ in
            rules.escalation = Self.policy(Self.commanderThenBackup)
            rules.roster.people["chen.wei"]?.contactMethods = []
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(daemon.escalationPages.map(\.path) == ["/priya.raman"])
        #expect(try daemon.events(.passedOver).first?.detail["reason"] == "no working contact method")
    }

    @Test(arguments: StoreBackend.all) func aStepPagesWhoeverTheRosterNamesAtItsDueTime(_ backend: StoreBackend) async throws {
        let clock = ManualClock()
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        // A daily handoff two minutes from now, local time.
        let handoffAt = clock.now().addingTimeInterval(120)
        let parts = calendar.dateComponents([.hour, .minute], from: handoffAt)
        let rotation = Rotation(id: "commanders", shiftLength: .days(1), handoff: TimeOfDay(hour: parts.hour!, minute: parts.minute!), timeZone: shanghai,
                                startDay: DateComponents(year: 2027, month: 1, day: 1), members: ["chen.wei", "zhang.lei"])
        let before = try #require(rotation.holder(at: clock.now()))
        let after = try #require(rotation.holder(at: handoffAt))
        #expect(before != after)
        let daemon = try await TestDaemon(backend: backend, clock: clock) { rules, _ in
            rules.roster.rotations = ["commanders": rotation]
            rules.roster.roles[.faultAnalyst] = RoleHolders(primary: .rotation("commanders"), backup: .person("priya.raman"))
            rules.escalation = Self.policy([
                EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
                EscalationStep(delay: .seconds(300), targets: [.rotation("commanders")]),
            ])
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: clock.now()))
        await daemon.runDue()
        await daemon.advance(by: 300)
        #expect(daemon.escalationPages.map(\.path) == ["/\(before)", "/\(after)"])
    }

    @Test(arguments: StoreBackend.all) func contactMethodsGoOutAfterTheirOwnDelayUnlessAcknowledgedFirst(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend) { rules, port in
            rules.escalation = Self.policy([EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary), .role(.faultAnalyst, .backup)])])
            for id in ["chen.wei", "priya.raman"] {
                rules.roster.people[id]?.contactMethods = [
                    ContactMethod(channel: "chat", webhookURL: "http://127.0.0.1:\(port)/slack/\(id)", flavour: .slack),
                    ContactMethod(channel: "sms", webhookURL: "http://127.0.0.1:\(port)/sms/\(id)?text={message}", flavour: .sms, delay: .seconds(120)),
                ]
            }
        }
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        #expect(Set(daemon.escalationPages.map(\.path)) == ["/slack/chen.wei", "/slack/priya.raman"])
        let chat = try #require(daemon.escalationPages.first)
        #expect((chat.json["text"] as? String)?.hasPrefix("[SEV1] Incident 1: Payment API 5xx above 20%") == true)
        await daemon.advance(by: 119.999)
        #expect(daemon.escalationPages.count == 2)
        await daemon.advance(by: 0.001)
        let sms = daemon.escalationPages.filter { $0.path.hasPrefix("/sms/") }
        #expect(sms.count == 2)
        #expect(sms.first.map { String(decoding: $0.body, as: UTF8.self).hasPrefix("[SEV1] Incident 1") } == true)
        #expect(sms.first?.headers["content-type"]?.hasPrefix("text/plain") == true)

        // A second incident acknowledged within the delay: its texts are never sent.
        _ = await daemon.postAlert(TestDaemon.alertJSON(key: "other", startsAt: daemon.clock.now()))
        await daemon.runDue()
        daemon.clock.advance(by: 60)
        _ = await daemon.request("POST", "/api/v1/incidents/2/ack", token: "token-chen")
        await daemon.advance(by: 600)
        #expect(daemon.escalationPages.filter { $0.path.hasPrefix("/sms/") }.count == 2)
        #expect(try daemon.events(.pageCancelled, incident: 2).count == 2)
    }

    @Test(arguments: StoreBackend.all) func anAcknowledgeLinkForSomeoneNotInTheContactsIsRefusedAndChangesNothing(_ backend: StoreBackend) async throws {
        let daemon = try await TestDaemon(backend: backend)
        defer { daemon.stop() }
        _ = await daemon.postAlert(TestDaemon.alertJSON(startsAt: daemon.clock.now()))
        await daemon.runDue()
        let before = try daemon.snapshot()
        let ghost = daemon.engine.rules.ackLinks.sign(incidentID: 1, personID: "ghost", now: daemon.clock.now()).url(baseURL: "")
        let refused = await daemon.request("POST", ghost, token: nil)
        #expect(refused.status == 403)
        #expect(refused.text.contains("no longer in Tocsin's contacts"))
        #expect(refused.text.contains("<html"))
        let incomplete = await daemon.request("POST", "/ack/1?person=chen.wei", token: nil)
        #expect(incomplete.status == 400)
        #expect(try daemon.snapshot() == before)
    }
}
