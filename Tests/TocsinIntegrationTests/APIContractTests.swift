import Foundation
import Testing
import TocsinTestSupport

/// PyPI's schemathesis against the real tocsind, from the document tocsind itself serves at
/// `/openapi.json`: every operation, a bounded number of generated requests each (valid and
/// invalid), with valid tokens. No answer may be a server error or differ from the document,
/// and a refused request (or any GET) may not change the record
/// (Tests/contract/refusals_change_nothing.py compares the database before and after).
@Suite struct APIContractTests {
    /// The checks every answer must pass.
    static let checks = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
                         "response_schema_conformance", "refusals_change_nothing"]

    /// Which operations run with which token: a person's for the API, each integration's for its endpoint.
    static let runs: [(token: String?, operations: [String])] = [
        ("demo-chen-wei-token", ["postAlerts", "listAlerts", "alertCounts", "listIncidents", "getIncident", "getTimeline", "acknowledgeIncident",
                                 "getProcedure", "procedureCommand", "exportIncident", "responseReport", "createSilence", "listSilences",
                                 "getSilence", "endSilence", "listHeartbeats", "systemEvents", "health", "readiness", "metrics", "openAPIDocument"]),
        ("demo-monitoring-token", ["postAlerts", "checkIn"]),
        ("demo-alertmanager-token", ["alertmanagerWebhook"]),
        ("demo-prometheus-token", ["prometheusAlerts"]),
        ("demo-grafana-token", ["grafanaWebhook"]),
        (nil, ["pagerDutyEvent", "ackLinkPage", "ackLinkAcknowledge", "consoleIncidents", "consoleSignInPage", "consoleSignIn", "consoleSignOut",
               "consoleIncident", "consoleLiveTimeline", "consoleAcknowledge", "consoleCommand", "consoleStyles", "consoleScript"]),
    ]

    @Test func schemathesisFindsNoServerErrorNoAnswerOutsideTheDocumentAndNoChangeFromARefusal() async throws {
        let python = try MonitoringStack.python(with: "schemathesis", package: "schemathesis")
        let stack = try await MonitoredTocsind.start { folder in
            // Nothing in the record may move on its own during the run: no check-in deadline passes.
            try folder.replace("interval: 2m", with: "interval: 6h", in: "Deploy/tocsin.yaml")
        }
        defer { stack.stop() }
        let daemon = stack.daemon
        // An incident whose id the generated requests can reach.
        let alert = #"{"source":"prometheus","dedup_key":"pay-5xx","summary":"Payment API 5xx above 20%","service":"payments-core","labels":{"urgency":"high"}}"#
        #expect(await daemon.request("POST", "/api/v1/alerts", token: "demo-monitoring-token", body: alert).status == 202)
        try await Polling.until("the commander is paged") { stack.pages.listener.pages.count == 1 }

        let document = try JSONSerialization.jsonObject(with: await daemon.request("GET", "/openapi.json", token: nil).body) as? [String: Any]
        let documented = Set(((document?["paths"] as? [String: [String: Any]]) ?? [:]).values.flatMap { item in
            item.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String }
        })
        #expect(Set(Self.runs.flatMap(\.operations)) == documented, "every documented operation is run")

        var environment = ProcessInfo.processInfo.environment
        environment["TOCSIN_DATABASE"] = stack.folder.root.appendingPathComponent("var/tocsin.sqlite").path
        environment["PYTHONPATH"] = TocsinBuild.repository.appendingPathComponent("Tests/contract").path
        environment["SCHEMATHESIS_HOOKS"] = "refusals_change_nothing"
        for run in Self.runs {
            var arguments = ["-m", "schemathesis.cli", "run", "\(daemon.baseURL)/openapi.json", "--url", daemon.baseURL,
                             "--checks", Self.checks.joined(separator: ","), "--phases", "examples,coverage,fuzzing",
                             "--max-examples", "15", "--workers", "1", "--seed", "20261204", "--generation-deterministic",
                             "--generation-with-security-parameters", "false", "--generation-database", "none", "--no-shrink",
                             "--max-redirects", "0", "--request-timeout", "10", "--suppress-health-check", "all", "--no-color"]
            if let token = run.token { arguments += ["--header", "Authorization: Bearer \(token)"] }
            for operation in run.operations { arguments += ["--include-operation-id", operation] }
            let result = try await onOwnThread { [arguments, environment] in try ChildProcess.run(python, arguments, environment: environment) }
            let summary = result.output.split(separator: "\n").suffix(60).joined(separator: "\n")
            #expect(result.status == 0, "schemathesis with \(run.token ?? "no token") on \(run.operations):\n\(summary)")
            try daemon.program.requireRunning()
        }
    }
}
