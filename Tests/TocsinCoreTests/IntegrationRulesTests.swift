import Foundation
import Testing
import TocsinCore

/// The pure rules behind the integrations: alert identity, source times, label mapping,
/// silence matching and webhook signatures.
@Suite struct IntegrationRulesTests {
    @Test func fingerprintIsAlertmanagers() {
        // Printed by Alertmanager 0.25 for this label set.
        #expect(AlertFingerprint.of(["alertname": "PaymentErrors", "service": "payments-core", "severity": "critical", "scenario": "total_outage"])
                == "c8aa748ef1aca7d1")
        #expect(AlertFingerprint.of([:]) == "cbf29ce484222325", "the empty label set hashes to FNV-1a's offset basis")
        #expect(AlertFingerprint.of(["a": "bc"]) != AlertFingerprint.of(["ab": "c"]), "the separator keeps names and values apart")
        #expect(AlertFingerprint.dedupKey("c8aa748ef1aca7d1") == "fingerprint:c8aa748ef1aca7d1")
    }

    @Test func sourceTimesReadAsMonitoringProgramsWriteThem() {
        #expect(SourceTime("2026-11-18T11:06:40.123456789Z")?.date.map(UTCTime.string) == "2026-11-18T11:06:40.123Z")
        #expect(SourceTime("2026-11-18T13:06:40.5+02:00")?.date.map(UTCTime.string) == "2026-11-18T11:06:40.500Z")
        #expect(SourceTime("2026-11-18T11:06:40Z")?.date == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(SourceTime("0001-01-01T00:00:00Z") == .absent, "Go's zero time means not set")
        #expect(SourceTime("") == .absent)
        #expect(SourceTime("yesterday") == nil)
        #expect(SourceTime("2026-13-40T00:00:00Z") == nil)
    }

    @Test func labelMappingFindsServiceUrgencyAndSummaryInOrder() {
        let mapping = LabelMapping(serviceLabels: ["service", "app"], defaultService: "unknown")
        #expect(mapping.service(labels: ["app": "settlement"]) == "settlement")
        #expect(mapping.service(labels: ["service": "payments-core", "app": "x"]) == "payments-core")
        #expect(mapping.service(labels: ["service": " "]) == "unknown", "a blank label counts as absent")
        #expect(mapping.urgency(labels: ["severity": "Warning"]) == "medium")
        #expect(mapping.urgency(labels: ["urgency": "high", "severity": "info"]) == "high")
        #expect(mapping.urgency(labels: ["severity": "page"]) == "page", "unknown words pass through")
        #expect(mapping.urgency(labels: [:]) == nil)
        #expect(mapping.urgency(labels: ["severity": "critical"], known: ["critical", "high", "low"]) == "critical")
        #expect(mapping.urgency(labels: ["severity": "critical"], known: ["high", "medium", "low"]) == "high")
        #expect(mapping.urgency(labels: ["severity": "warning"], known: ["high", "low"]) == "low")
        #expect(mapping.summary(labels: ["alertname": "A"], annotations: ["description": "D", "summary": "S"]) == "S")
        #expect(mapping.summary(labels: ["alertname": "A"], annotations: ["description": "D"]) == "D")
        #expect(mapping.summary(labels: ["alertname": "A"], annotations: [:]) == "A")

        let report = mapping.report(source: "am", dedupKey: "k", labels: ["severity": "critical", "app": "settlement"], annotations: [:],
                                    status: .firing, startsAt: Date(timeIntervalSince1970: 0), urgency: SeverityRules(urgencyLabel: "level"), details: [:])
        #expect(report.labels == ["severity": "critical", "app": "settlement", "level": "high"])
        #expect(report.service == "settlement")
        #expect(report.summary == "k", "nothing to summarise with: the dedup key")
    }

    static func alert(_ labels: [String: String], service: String = "payments-core") -> AlertReport {
        AlertReport(source: "t", dedupKey: "k", summary: "s", service: service, labels: labels, startsAt: Date())
    }

    @Test func silenceMatchersWorkLikeAlertmanagers() throws {
        let alert = Self.alert(["alertname": "DiskFull", "team": "storage"])
        #expect(SilenceMatcher(name: "service", value: "payments-core").matches(alert))
        #expect(SilenceMatcher(name: "alertname", value: "Disk.*", isRegex: true).matches(alert))
        #expect(!SilenceMatcher(name: "alertname", value: "Disk", isRegex: true).matches(alert), "a regex must match the whole value")
        #expect(SilenceMatcher(name: "team", value: "payments", isEqual: false).matches(alert))
        #expect(!SilenceMatcher(name: "team", value: "stor.*", isRegex: true, isEqual: false).matches(alert))
        #expect(SilenceMatcher(name: "region", value: "").matches(alert), "a missing label is empty")
        #expect(SilenceMatcher(name: "region", value: ".*", isRegex: true).matchesEmpty)
        #expect(!SilenceMatcher(name: "service", value: "x").matchesEmpty)
        #expect(SilenceMatcher(name: "alertname", value: "Disk.*", isRegex: true, isEqual: false).text == #"alertname!~"Disk.*""#)
        #expect(throws: SilenceMatcherError.self) { try SilenceMatcher(name: "a", value: "[", isRegex: true).validated() }
    }

    @Test func silenceIsPendingThenActiveThenExpired() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        var silence = Silence(id: 1, matchers: [SilenceMatcher(name: "service", value: "payments-core")], startsAt: start,
                              endsAt: start.addingTimeInterval(600), createdBy: "chen.wei", comment: "window", createdAt: start.addingTimeInterval(-60))
        #expect(silence.state(at: start.addingTimeInterval(-0.001)) == .pending)
        #expect(silence.state(at: start) == .active)
        #expect(silence.state(at: start.addingTimeInterval(599.999)) == .active)
        #expect(silence.state(at: start.addingTimeInterval(600)) == .expired)
        silence.expiredAt = start.addingTimeInterval(60)
        #expect(silence.state(at: start.addingTimeInterval(60)) == .expired)
        #expect(silence.matches(Self.alert([:])))
        #expect(!silence.matches(Self.alert([:], service: "settlement")))
    }

    @Test func silenceRequestsAreCheckedBeforeTheyAreStored() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let service = SilenceMatcher(name: "service", value: "payments-core")
        let good = try SilenceRequest(matchers: [service], startsAt: nil, endsAt: now.addingTimeInterval(60), comment: "drill").validated(now: now)
        #expect(good.startsAt == now)
        #expect(throws: SilenceRequestError.noMatchers) { try SilenceRequest(matchers: [], startsAt: nil, endsAt: now.addingTimeInterval(60), comment: "x").validated(now: now) }
        #expect(throws: SilenceRequestError.matchesEverything) {
            try SilenceRequest(matchers: [SilenceMatcher(name: "team", value: "payments", isEqual: false)], startsAt: nil, endsAt: now.addingTimeInterval(60), comment: "x").validated(now: now)
        }
        #expect(throws: SilenceRequestError.noComment) { try SilenceRequest(matchers: [service], startsAt: nil, endsAt: now.addingTimeInterval(60), comment: "\n").validated(now: now) }
        #expect(throws: SilenceRequestError.endsInThePast(now)) { try SilenceRequest(matchers: [service], startsAt: nil, endsAt: now, comment: "x").validated(now: now) }
    }

    @Test func webhookSignatureIsGrafanasHMAC() {
        let body = Data(#"{"alerts":[]}"#.utf8)
        let plain = WebhookSignature(secret: "test-grafana-signing-secret")
        #expect(plain.sign(body) == "e2b974c010767815357bfad6d28c2336bcc238c3a1804ce6a46d41c6284dbad8")
        let now = Date(timeIntervalSince1970: 1_800_000_100)
        #expect(plain.problem(body: body, signature: "E2B974C010767815357BFAD6D28C2336BCC238C3A1804CE6A46D41C6284DBAD8", timestamp: nil, now: now) == nil)
        #expect(plain.problem(body: body, signature: nil, timestamp: nil, now: now) == .missing(header: "X-Grafana-Alerting-Signature"))

        let stamped = WebhookSignature(secret: "test-grafana-signing-secret", timestampHeader: "X-Grafana-Alerting-Timestamp")
        let signature = "d4c4ee6d397a9e5714b6a88e7a00ee0f3e689c599ccf5cd929f1a132828a6f3b"
        #expect(stamped.sign(body, timestamp: "1800000000") == signature)
        #expect(stamped.problem(body: body, signature: signature, timestamp: "1800000000", now: now) == nil)
        #expect(stamped.problem(body: body, signature: signature, timestamp: "1800000000", now: now.addingTimeInterval(300)) == .stale(signedAt: 1_800_000_000, tolerance: .seconds(300)))
        #expect(stamped.problem(body: body, signature: signature, timestamp: "1800000001", now: now) == .mismatch(header: "X-Grafana-Alerting-Signature"))
        #expect(stamped.problem(body: body, signature: signature, timestamp: nil, now: now) == .missingTimestamp(header: "X-Grafana-Alerting-Timestamp"))
    }

    @Test func heartbeatAlertNamesTheHeartbeat() {
        let heartbeat = Heartbeat(name: "settlement-export", interval: .seconds(90), service: "settlement", labels: ["urgency": "high"])
        #expect(heartbeat.summary == "Heartbeat settlement-export missed: no check-in for 90s")
        let deadline = Date(timeIntervalSince1970: 5000)
        let alert = heartbeat.alert(.firing, deadline: deadline)
        #expect(alert.dedupKey == "heartbeat:settlement-export")
        #expect(alert.labels == ["urgency": "high", "heartbeat": "settlement-export"])
        #expect(alert.startsAt == deadline)
        #expect(Heartbeat(name: "h", interval: .seconds(7200), service: "s").summary.hasSuffix("for 2h"))
    }
}
