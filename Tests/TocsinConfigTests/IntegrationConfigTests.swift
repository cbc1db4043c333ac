import Foundation
import Testing
import TocsinConfig
import TocsinCore

/// The `integrations:`, `heartbeats:` and `listen.tls` sections of tocsin.yaml.
@Suite struct IntegrationConfigTests {
    @Test func shippedConfigDeclaresEachKindOfIntegrationAndAHeartbeat() throws {
        let config = try ConfigFolder().load()
        #expect(config.integrations.map(\.kind) == [.alertmanager, .prometheus, .grafana, .pagerduty])
        #expect(config.tokens["demo-alertmanager-token"] == .integration("alertmanager"))
        #expect(config.tokens["demo-pagerduty-routing-key"] == .integration("pagerduty-clients"))
        #expect(config.tokens["demo-monitoring-token"] == .integration("monitoring"), "the tokens: list still works")
        let grafana = try #require(config.integrations.first { $0.kind == .grafana })
        #expect(grafana.signature?.timestampHeader == "X-Grafana-Alerting-Timestamp")
        #expect(grafana.signature?.header == "X-Grafana-Alerting-Signature")
        let pagerduty = try #require(config.integrations.first { $0.kind == .pagerduty })
        #expect(pagerduty.mapping.serviceLabels == ["service", "component"])
        #expect(config.integrations[0].mapping == LabelMapping(), "no mapping: the defaults")
        let heartbeat = try #require(config.heartbeats.first)
        #expect(heartbeat.name == "prometheus-pipeline")
        #expect(heartbeat.interval == .seconds(120))
        #expect(heartbeat.labels == ["scenario": "monitoring_down", "urgency": "high"])
        #expect(config.tls == nil)
        #expect(config.publicURL == "http://127.0.0.1:8080")
    }

    @Test func mappingAndSecretsComeFromTheFileOrTheEnvironment() throws {
        let folder = try ConfigFolder()
        try folder.replace("""
              - name: alertmanager            # Alertmanager's webhook receiver: Deploy/alertmanager.yml
                kind: alertmanager
                token: demo-alertmanager-token
            """, with: """
              - name: alertmanager
                kind: alertmanager
                token_env: TOCSIN_AM_TOKEN
                mapping:
                  service: app
                  default_service: settlement
                  urgency: [priority]
                  urgency_values: {P1: high, P2: medium}
                  summary: [headline, summary]
            """, in: "Deploy/tocsin.yaml")
        let config = try TocsinConfiguration.load(path: folder.configPath, environment: ["TOCSIN_AM_TOKEN": "token-from-the-environment"])
        #expect(config.tokens["token-from-the-environment"] == .integration("alertmanager"))
        let mapping = try #require(config.integrations.first?.mapping)
        #expect(mapping.serviceLabels == ["app"])
        #expect(mapping.defaultService == "settlement")
        #expect(mapping.urgencyLabels == ["priority"])
        #expect(mapping.urgencyValues["p1"] == "high")
        #expect(mapping.urgencyValues["warning"] == "medium", "the standard words stay")
        #expect(mapping.summaryAnnotations == ["headline", "summary"])

        let missing = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(missing.key == "integrations[0].token_env")
        #expect(missing.problem.contains("TOCSIN_AM_TOKEN is not set"))
    }

    @Test func tlsNeedsReadableFilesAndMakesThePublicURLHTTPS() throws {
        let folder = try ConfigFolder()
        let certificate = folder.root.appendingPathComponent("Deploy/cert.pem"), key = folder.root.appendingPathComponent("Deploy/key.pem")
        try "certificate".write(to: certificate, atomically: true, encoding: .utf8)
        try "key".write(to: key, atomically: true, encoding: .utf8)
        try folder.replace("  port: 8080\n", with: "  port: 8443\n  tls:\n    certificate: cert.pem\n    key: key.pem\n", in: "Deploy/tocsin.yaml")
        try folder.replace("public_url: http://127.0.0.1:8080\n", with: "", in: "Deploy/tocsin.yaml")
        let config = try folder.load()
        #expect(config.tls == TLSSettings(certificatePath: certificate.path, keyPath: key.path))
        #expect(config.publicURL == "https://127.0.0.1:8443")

        try FileManager.default.removeItem(at: key)
        let error = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(error.key == "listen.tls.key")
        #expect(error.problem.contains("cannot read"))
    }

    static let breakages: [ConfigurationTests.Breakage] = [
        .init(file: "Deploy/tocsin.yaml", old: "kind: alertmanager", new: "kind: alertmanger", expectedFile: "tocsin.yaml",
              key: "integrations[0].kind", problem: "expected one of alertmanager, prometheus, pagerduty, grafana"),
        .init(file: "Deploy/tocsin.yaml", old: "token: demo-prometheus-token", new: "token: short", expectedFile: "tocsin.yaml",
              key: "integrations[1]", problem: "too short"),
        .init(file: "Deploy/tocsin.yaml", old: "token: demo-prometheus-token", new: "token: demo-alertmanager-token", expectedFile: "tocsin.yaml",
              key: "integrations[1]", problem: "two integrations"),
        .init(file: "Deploy/tocsin.yaml", old: "token: demo-prometheus-token", new: "token: demo-monitoring-token", expectedFile: "tocsin.yaml",
              key: "integrations", problem: "already listed under tokens:"),
        .init(file: "Deploy/tocsin.yaml", old: "routing_key: demo-pagerduty-routing-key", new: "token: demo-pagerduty-routing-key", expectedFile: "tocsin.yaml",
              key: "integrations[3]", problem: "give the routing key with routing_key or routing_key_env"),
        .init(file: "Deploy/tocsin.yaml", old: "      service: [service, component]", new: "      servce: [service, component]", expectedFile: "tocsin.yaml",
              key: "integrations[3].mapping.servce", problem: "unknown key"),
        .init(file: "Deploy/tocsin.yaml", old: "    token: demo-alertmanager-token", new: "    token: demo-alertmanager-token\n    signing_secret: a-secret-long-enough", expectedFile: "tocsin.yaml",
              key: "integrations[0]", problem: "only a grafana integration"),
        .init(file: "Deploy/tocsin.yaml", old: "    interval: 2m", new: "    interval: often", expectedFile: "tocsin.yaml",
              key: "heartbeats[0].interval", problem: "duration"),
        .init(file: "Deploy/tocsin.yaml", old: "    service: payments-core\n    urgency: high\n    summary", new: "    urgency: high\n    summary", expectedFile: "tocsin.yaml",
              key: "heartbeats[0].service", problem: "required"),
        .init(file: "Deploy/tocsin.yaml", old: "  - name: prometheus-pipeline", new: "  - name: prometheus pipeline", expectedFile: "tocsin.yaml",
              key: "heartbeats[0].name", problem: "part of its URL"),
    ]

    @Test(arguments: breakages)
    func brokenIntegrationConfigNamesTheKey(_ breakage: ConfigurationTests.Breakage) throws {
        let folder = try ConfigFolder()
        try folder.replace(breakage.old, with: breakage.new, in: breakage.file)
        let error = try #require(throws: ConfigError.self) { try folder.load() }
        #expect(error.file.hasSuffix(breakage.expectedFile))
        #expect(error.key == breakage.key)
        #expect(error.problem.contains(breakage.problem), "problem was: \(error.problem)")
    }
}

/// docs/integrations.md shows each integration's config exactly as the file in Deploy/ that the tests run with.
@Suite struct DeployExamplesTests {
    @Test(arguments: ["prometheus.yml", "alertmanager.yml", "grafana-contact-point.yaml", "watchdog-rule.yml"])
    func theIntegrationsDocQuotesTheDeployFileVerbatim(_ name: String) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: repository.appendingPathComponent("docs/integrations.md"), encoding: .utf8)
        let file = try String(contentsOf: repository.appendingPathComponent("Deploy/\(name)"), encoding: .utf8)
        #expect(doc.contains("```yaml\n" + file.trimmingCharacters(in: .newlines) + "\n```"), "docs/integrations.md's copy of Deploy/\(name) differs")
    }
}
