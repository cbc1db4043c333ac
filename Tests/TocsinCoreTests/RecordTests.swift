import Foundation
import Testing
import TocsinCore

@Suite struct TimelineChainTests {
    func chain() -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        var previous = TimelineEvent.genesisHash
        for (index, kind) in [TimelineEventKind.incidentOpened, .pageSent, .acknowledged].enumerated() {
            let event = TimelineEvent(incidentID: 7, sequence: index + 1, at: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)),
                                      kind: kind, actor: "chen.wei", detail: ["n": "\(index)"], previousHash: previous)
            events.append(event)
            previous = event.hash
        }
        return events
    }

    @Test func intactChainVerifies() {
        #expect(chain().firstBrokenLink() == nil)
    }

    @Test func editedDeletedOrReorderedEventIsNamed() {
        var edited = chain()
        edited[1].actor = "someone.else"
        #expect(edited.firstBrokenLink()?.sequence == 2)

        var deleted = chain()
        deleted.remove(at: 1)
        #expect(deleted.firstBrokenLink()?.sequence == 3)

        var detail = chain()
        detail[0].detail["n"] = "changed"
        #expect(detail.firstBrokenLink()?.sequence == 1)
    }
}

@Suite struct AckLinkTests {
    let signer = AckLinkSigner(secret: "a-secret-of-enough-length", lifetime: .seconds(600))
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func genuineLinkIsAcceptedUntilItExpires() {
        let token = signer.sign(incidentID: 3, personID: "chen.wei", now: now)
        #expect(signer.problem(with: token, now: now.addingTimeInterval(599)) == nil)
        #expect(signer.problem(with: token, now: now.addingTimeInterval(600)) == .expired)
        #expect(token.url(baseURL: "http://h:1/").hasPrefix("http://h:1/ack/3?person=chen.wei&expires="))
    }

    @Test func linkMovedToAnotherPersonIncidentOrExpiryIsForged() {
        let token = signer.sign(incidentID: 3, personID: "chen.wei", now: now)
        var person = token; person.personID = "li.na"
        var incident = token; incident.incidentID = 4
        var expiry = token; expiry.expires += 3600
        for forged in [person, incident, expiry] {
            #expect(signer.problem(with: forged, now: now) == .badSignature)
        }
        let other = AckLinkSigner(secret: "another-secret-entirely", lifetime: .seconds(600))
        #expect(other.problem(with: token, now: now) == .badSignature)
    }
}

@Suite struct EscalationPolicyTests {
    @Test func stepOffsetsAccumulateDelays() {
        let policy = EscalationPolicy(steps: [
            EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
            EscalationStep(delay: .seconds(300), targets: [.role(.faultAnalyst, .backup)]),
            EscalationStep(delay: .seconds(600), targets: [.person("li.na")]),
        ])
        #expect(policy.offset(ofStep: 0) == .zero)
        #expect(policy.offset(ofStep: 1) == .seconds(300))
        #expect(policy.offset(ofStep: 2) == .seconds(900))
    }

    @Test func targetsRoundTripThroughTheirWrittenForm() throws {
        for text in ["fault_analyst.primary", "leadership.backup", "person:chen.wei"] {
            #expect(EscalationTarget(text: text)?.description == text)
        }
        #expect(EscalationTarget(text: "business")?.description == "business.primary")
        #expect(EscalationTarget(text: "business.deputy") == nil)
        #expect(EscalationTarget(text: "person:") == nil)
        let policy = EscalationPolicy(steps: [EscalationStep(delay: .milliseconds(1500), targets: [.role(.leadership, .backup)])])
        let decoded = try JSONDecoder().decode(EscalationPolicy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
    }

    @Test func mostSpecificRunbookWins() {
        let general = Runbook(id: "b-general", title: "", matchers: ["scenario": "error_rate"], preAuthorized: false, steps: [], body: "")
        let specific = Runbook(id: "a-specific", title: "", matchers: ["scenario": "error_rate", "service": "card-acquiring"], preAuthorized: false, steps: [], body: "")
        let alert = AlertReport(source: "t", dedupKey: "k", summary: "s", service: "card-acquiring", labels: ["scenario": "error_rate"], startsAt: Date())
        #expect([general, specific].bestMatch(for: alert)?.id == "a-specific")
        var other = alert; other.service = "settlement"
        #expect([general, specific].bestMatch(for: other)?.id == "b-general")
        other.labels = [:]
        #expect([general, specific].bestMatch(for: other) == nil)
    }
}

@Suite struct ManualClockTests {
    @Test func sleeperWakesOnlyWhenTheClockReachesItsDeadline() async throws {
        let clock = ManualClock()
        let deadline = clock.now().addingTimeInterval(10)
        let woke = Task { try await clock.sleep(until: deadline); return clock.now() }
        clock.advance(by: 9.999)
        clock.advance(by: 0.001)
        #expect(try await woke.value == deadline)
    }

    @Test func cancelledSleeperThrows() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(until: clock.now().addingTimeInterval(60)) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }
}

@Suite struct UTCTimeTests {
    @Test func timesRoundTripToTheMillisecond() {
        for millis in [0, 1, 123, 499, 500, 999] as [Int64] {
            let date = Date(timeIntervalSince1970: 1_800_000_000 + Double(millis) / 1000 + 0.0004)
            let text = UTCTime.string(date)
            #expect(text == "2027-01-15T08:00:00.\(String(format: "%03d", millis))Z")
            #expect(UTCTime.date(text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == 1_800_000_000_000 + millis)
        }
        #expect(UTCTime.string(Date(timeIntervalSince1970: 1_800_000_000.9996)) == "2027-01-15T08:00:01.000Z")
        #expect(UTCTime.date("2026-11-21T10:00:00Z") != nil)
        #expect(UTCTime.date("2026-11-21T18:00:00+08:00") == UTCTime.date("2026-11-21T10:00:00Z"))
        #expect(UTCTime.date("21/11/2026") == nil)
    }

    @Test func handWrittenTimesAgreeWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        // Leap days, the turn of centuries, before 1970, and a spread of ordinary instants.
        let edges: [Int64] = [0, -1, -86_400_000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, -62_135_596_800_000]
        for millis in edges + (0..<2_000).map({ _ in Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &generator) }) {
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let whole = Date(timeIntervalSince1970: Double((millis - ((millis % 1000) + 1000) % 1000) / 1000))
            let foundation = whole.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)).dropLast() + String(format: ".%03dZ", ((millis % 1000) + 1000) % 1000)
            #expect(UTCTime.string(date) == foundation, "\(millis)")
        }
    }
}

@Suite struct FastTimeParsingTests {
    @Test func handReadUTCTimesAgreeWithFoundation() throws {
        for text in ["2026-11-21T10:00:00Z", "2024-02-29T23:59:59.999Z", "1999-12-31T00:00:00.5Z", "2027-01-15T08:00:00.000Z", "2000-03-01T12:34:56Z"] {
            let foundation = try Date.ISO8601FormatStyle(includingFractionalSeconds: text.contains(".")).parse(text)
            let mine = try #require(UTCTime.date(text))
            #expect(abs(mine.timeIntervalSince(foundation)) < 0.0005, "\(text)")
        }
        #expect(UTCTime.date("2026-13-01T00:00:00Z") == nil)
        #expect(UTCTime.date("2026-11-21T10:00:00+02:00") == UTCTime.date("2026-11-21T08:00:00Z"), "offsets still go to Foundation")
    }
}
