import Foundation
import Testing
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// PyPI's schemathesis against the real tocsind, from the document tocsind itself serves at
/// `/openapi.json`: every operation, a bounded number of generated requests each (valid and
/// invalid), with valid tokens. No answer may be a server error or differ from the document, a
/// method a path does not answer gets 405, and a refused request (or any GET) may not change the record
/// (Tests/contract/refusals_change_nothing.py compares the database before and after).
@Suite struct APIContractTests {
    /// The checks every answer must pass.
    static let checks = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
                         "response_schema_conformance", "unsupported_method", "refusals_change_nothing"]

    /// Which operations run with which credentials: a person's token for the API, each
    /// integration's for its endpoint, a signed-in console session for the console's pages
    /// (its live streams, which stay open, run without one).
    enum Credentials {
        case token(String)
        case consoleSession
        case none
    }

    static let runs: [(credentials: Credentials, operations: [String])] = [
        (.token("demo-chen-wei-token"), ["postAlerts", "listAlerts", "alertCounts", "listIncidents", "getIncident", "getTimeline", "acknowledgeIncident",
                                 "getProcedure", "procedureCommand", "exportIncident", "responseReport", "startDrill", "drillHistory", "drillScorecard", "createSilence", "listSilences",
                                 "getSilence", "endSilence", "listHeartbeats", "systemEvents", "health", "readiness", "metrics", "openAPIDocument",
                                 "onCall", "listRosterChanges", "createOverride", "createStandIn", "proposeSwap", "acceptSwap", "cancelRosterChange", "reloadConfiguration",
                                 "listHandovers", "writeHandover", "draftHandover", "getHandover", "acknowledgeHandover",
                                 "listRegimes", "regulatoryStanding", "regulatoryDraft", "declareRegulatory", "submitRegulatoryReport"]),
        // A reviewer's: a retention pass finds nothing 90 days old, so it answers 200 and changes nothing.
        (.token("demo-grace-ho-token"), ["archiveNow", "archivedIncidents"]),
        (.token("demo-monitoring-token"), ["postAlerts", "checkIn"]),
        (.token("demo-alertmanager-token"), ["alertmanagerWebhook"]),
        (.token("demo-prometheus-token"), ["prometheusAlerts"]),
        (.token("demo-grafana-token"), ["grafanaWebhook"]),
        (.consoleSession, ["consoleIncidents", "consoleIncident", "consoleSignInPage", "consoleSignOut", "consoleAcknowledge", "consoleCommand",
                           "consoleReview", "consoleReviewReport", "consoleExport", "consoleOnCall", "consoleCreateSilence", "consoleEndSilence",
                           "consoleDrills", "consoleStartDrill", "consoleDrillScorecard", "consoleWriteHandover", "consoleAcknowledgeHandover", "consoleOlderTimelineEntries"]),
        (.none, ["pagerDutyEvent", "ackLinkPage", "ackLinkAcknowledge", "consoleIncidents", "consoleSignInPage", "consoleSignIn", "consoleSignOut",
               "consoleIncident", "consoleLiveTimeline", "consoleAcknowledge", "consoleCommand", "consoleStyles", "consoleScript",
               "consoleLiveIncidents", "consoleSignInLinkPage", "consoleSignInLinkRequest", "consoleSignInLinkUse", "consoleReview",
               "consoleReviewReport", "consoleExport", "consoleOnCall", "consoleCreateSilence", "consoleEndSilence", "consoleDrills",
               "consoleStartDrill", "consoleDrillScorecard", "consoleWriteHandover", "consoleAcknowledgeHandover", "consoleOlderTimelineEntries"]),
    ]

    @Test func schemathesisFindsNoServerErrorNoAnswerOutsideTheDocumentAndNoChangeFromARefusal() async throws {
        let python = try await onOwnThread { try MonitoringStack.python(with: "schemathesis", package: "schemathesis") }
        let stack = try await MonitoredTocsind.start { folder in
            // Nothing in the record may move on its own during the run: no check-in deadline passes,
            // and no page waits under a rate limit (each call waits until no page is pending).
            try folder.replace("interval: 2m", with: "interval: 6h", in: "Deploy/tocsin.yaml")
            try folder.replace("rate_limit: {messages: 6, per: 1m}", with: "rate_limit: none", in: "Deploy/tocsin.yaml")
            try folder.replace("rate_limit: {messages: 3, per: 1m}", with: "rate_limit: none", in: "Contacts/people.yaml")
        }
        defer { stack.stop() }
        let daemon = stack.daemon
        // An incident and a silence whose ids (1) the generated requests reach, and a console session.
        let alert = #"{"source":"prometheus","dedup_key":"pay-5xx","summary":"Payment API 5xx above 20%","service":"payments-core","labels":{"urgency":"high"}}"#
        #expect(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)
        try await Polling.until("the commander is paged") { stack.pages.listener.pages.count == 1 }
        let silence = #"{"matchers":[{"name":"service","value":"reporting"}],"ends_at":"\#(UTCTime.string(Date().addingTimeInterval(6 * 3600)))","comment":"maintenance"}"#
        #expect(await daemon.request("POST", "/api/v1/silences", token: "demo-chen-wei-token", body: silence).status == 201)
        // A roster change (id 1) for accept and cancel to reach.
        let standIn = #"{"stand_in":"priya.raman","end":"\#(UTCTime.string(Date().addingTimeInterval(6 * 3600)))"}"#
        #expect(await daemon.request("POST", "/api/v1/roster/stand-ins", token: "demo-chen-wei-token", body: standIn).status == 201)
        let session = try await Self.signIn(daemon, token: "demo-chen-wei-token")

        let document = try JSONSerialization.jsonObject(with: await daemon.request("GET", "/openapi.json", token: nil).body) as? [String: Any]
        let documented = Set(((document?["paths"] as? [String: [String: Any]]) ?? [:]).values.flatMap { item in
            item.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String }
        })
        #expect(Set(Self.runs.flatMap(\.operations)) == documented, "every documented operation is run")

        let workFolder = stack.folder.root.appendingPathComponent("schemathesis")
        try FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TOCSIN_DATABASE"] = stack.folder.root.appendingPathComponent("var/tocsin.sqlite").path
        environment["PYTHONPATH"] = TocsinBuild.repository.appendingPathComponent("Tests/contract").path
        environment["SCHEMATHESIS_HOOKS"] = "refusals_change_nothing"
        for run in Self.runs {
            let header: String? = switch run.credentials {
            case .token(let token): "Authorization: Bearer \(token)"
            case .consoleSession: "Cookie: \(session)"
            case .none: nil
            }
            // Run from a folder of its own: schemathesis keeps caches in its working folder.
            var arguments = ["-C", workFolder.path, python, "-m", "schemathesis.cli", "run", "\(daemon.baseURL)/openapi.json", "--url", daemon.baseURL,
                             "--checks", Self.checks.joined(separator: ","), "--phases", "examples,coverage,fuzzing",
                             "--max-examples", "15", "--workers", "1", "--generation-deterministic",
                             "--generation-with-security-parameters", "false", "--no-shrink",
                             "--max-redirects", "0", "--request-timeout", "10", "--suppress-health-check", "all", "--no-color"]
            if let header { arguments += ["--header", header] }
            for operation in run.operations { arguments += ["--include-operation-id", operation] }
            let result = try await ChildProcess.run("/usr/bin/env", arguments, environment: environment)
            let summary = result.output.split(separator: "\n").suffix(60).joined(separator: "\n")
            #expect(result.status == 0, "schemathesis with \(run.credentials) on \(run.operations):\n\(summary)")
            try daemon.program.requireRunning()
        }
    }

    /// Signs in at the console's form as a browser would; returns the session cookie (`tocsin_session=…`).
    static func signIn(_ daemon: TocsindDaemon, token: String) async throws -> String {
        let form = await HTTPTransfer(url: daemon.baseURL + "/sign-in").sendPatiently()
        let page = String(decoding: form.body, as: UTF8.self)
        let formCookie = (form.headers["set-cookie"] ?? "").split(separator: ";").first.map(String.init) ?? ""
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { throw HarnessFailure("no CSRF token on the sign-in page") }
        let csrf = page[range.upperBound...].prefix { $0 != "\"" }
        let answer = await HTTPTransfer(method: "POST", url: daemon.baseURL + "/sign-in",
                                        headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": formCookie],
                                        body: Data("csrf=\(csrf)&token=\(token)".utf8)).sendPatiently()
        guard answer.status == 303, let cookie = answer.headers["set-cookie"], cookie.hasPrefix("tocsin_session=") else {
            throw HarnessFailure("signing in at the console answered \(answer.status.map(String.init) ?? "nothing")")
        }
        return String(cookie.split(separator: ";")[0])
    }
}
