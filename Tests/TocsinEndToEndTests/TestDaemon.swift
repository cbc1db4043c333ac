import Foundation
import Hummingbird
import Logging
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinPager
import TocsinPostgres
import TocsinStore
import TocsinTestSupport

/// A real tocsind in-process for tests: a SQLite file in a temporary folder (or a database of
/// its own on the test PostgreSQL server), the HTTP server on 127.0.0.1 at a free port, a real
/// webhook receiver, and a manual clock.
///
/// The engine loop does not run; a test calls `runDue()` after moving the clock, so what
/// fires and when is exact.
final class TestDaemon: @unchecked Sendable {
    let folder: URL
    let backend: StoreBackend
    /// The PostgreSQL database of a `.postgres` daemon.
    let postgresDatabase: String?
    let postgresServer: TestPostgres.Server?
    let clock: ManualClock
    let listener = PageListener()
    private(set) var listenerPort = 0
    private(set) var port = 0
    private(set) var engine: Engine!
    private var server: RunningApplication?
    private var receiver: RunningApplication?

    static let ackSecret = "test-ack-link-secret-0123456789"
    static let tokens: [String: Principal] = [
        "token-monitoring": .integration("monitoring"),
        "token-chen": .person("chen.wei"),
        "token-priya": .person("priya.raman"),
        "token-li": .person("li.na"),
        "token-zhou": .person("zhou.min"),
        "token-sam": .person("sam.okafor"),
        "token-maria": .person("maria.santos"),
        "token-zhang": .person("zhang.lei"),
        "token-grace": .person("grace.ho"),
        "token-vendor": .person("vendor.dba"),
        "token-alertmanager": .integration("alertmanager"),
        "token-prometheus": .integration("prometheus"),
        "token-grafana": .integration("grafana"),
        "routing-key-pagerduty": .integration("pagerduty"),
        "token-labelled-differently": .integration("custom-labels"),
    ]

    static let grafanaSecret = "test-grafana-signing-secret"
    static let integrations: [Integration] = [
        Integration(name: "alertmanager", kind: .alertmanager),
        Integration(name: "prometheus", kind: .prometheus),
        Integration(name: "grafana", kind: .grafana,
                    signature: WebhookSignature(secret: grafanaSecret, timestampHeader: "X-Grafana-Alerting-Timestamp")),
        Integration(name: "pagerduty", kind: .pagerduty, mapping: LabelMapping(serviceLabels: ["service", "component"])),
        Integration(name: "custom-labels", kind: .alertmanager,
                    mapping: LabelMapping(serviceLabels: ["app"], defaultService: "settlement", urgencyLabels: ["priority"],
                                          urgencyValues: ["p1": "high", "p2": "medium", "p3": "low"],
                                          summaryAnnotations: ["headline"], summaryLabels: ["alertname"])),
    ]
    static let heartbeats = [
        Heartbeat(name: "pipeline", interval: .seconds(120), service: "payments-core",
                  labels: ["urgency": "high", "scenario": "monitoring_down"]),
    ]

    /// Changes a test makes to the standard rules; `listenerPort` is the receiver's port.
    /// A test may change it and restart the server, as an operator edits the config.
    var customize: @Sendable (inout ResponseRules, _ listenerPort: Int) -> Void

    /// `postgres` is the server of a `.postgres` daemon, the test run's shared one unless told.
    init(backend: StoreBackend = .sqlite, postgres: TestPostgres.Server? = nil, clock: ManualClock = ManualClock(),
         customize: @escaping @Sendable (inout ResponseRules, _ listenerPort: Int) -> Void = { _, _ in }) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.backend = backend
        if backend == .postgres {
            let server = if let postgres { postgres } else { try await TestPostgres.server() }
            postgresServer = server
            postgresDatabase = try await TestPostgres.createDatabase(on: server)
        } else {
            postgresServer = nil
            postgresDatabase = nil
        }
        self.clock = clock
        self.customize = customize
        let receiver = try await LoopbackListener.start(listener).running
        self.receiver = receiver
        listenerPort = receiver.port
        try await startServer()
    }

    var databasePath: String { folder.appendingPathComponent("tocsin.sqlite").path }

    /// Every row of every table of the daemon's database, as text, to prove a refused request
    /// changed nothing.
    func snapshot() throws -> String {
        guard let postgresDatabase, let postgresServer else { return try databaseSnapshot(databasePath) }
        return try TestPostgres.snapshot(of: postgresDatabase, on: postgresServer)
    }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    var rules: ResponseRules {
        let hook = { (person: String) in [ContactMethod(webhookURL: "http://127.0.0.1:\(self.listenerPort)/\(person)")] }
        let people = ["chen.wei", "priya.raman", "sam.okafor", "liu.yang", "li.na", "zhou.min", "maria.santos", "wang.fang", "zhang.lei", "vendor.dba",
                      "grace.ho", "omar.haddad"]
            .map { Person(id: $0, name: $0, timeZone: "Asia/Shanghai", contactMethods: hook($0), isExternal: $0 == "vendor.dba") }
        let roster = Roster(people: people, roles: [
            .faultAnalyst: RoleHolders(primary: "chen.wei", backup: "priya.raman"),
            .technicalCoordinator: RoleHolders(primary: "sam.okafor", backup: "liu.yang"),
            .leadership: RoleHolders(primary: "li.na", backup: "zhou.min"),
            .business: RoleHolders(primary: "maria.santos", backup: "wang.fang"),
            .technicalExecutors: RoleHolders(primary: "zhang.lei", backup: "vendor.dba"),
            .reviewer: RoleHolders(primary: "grace.ho", backup: "omar.haddad"),
        ])
        var rules = ResponseRules(
            severity: SeverityRules(serviceTiers: ["payments-core": 1, "settlement": 2], defaultTier: 3,
                                    raiseAfter: [.seconds(15 * 60)], majorThreshold: .sev2),
            escalation: EscalationPolicies(default: EscalationPolicy(steps: [
                EscalationStep(delay: .zero, targets: [.role(.faultAnalyst, .primary)]),
                EscalationStep(delay: .seconds(300), targets: [.role(.faultAnalyst, .backup)]),
                EscalationStep(delay: .seconds(600), targets: [.role(.technicalCoordinator, .primary), .role(.leadership, .primary)]),
            ], ackTimeout: nil)),
            roster: roster,
            runbooks: [Runbook(id: "total-outage", title: "Total payment outage", matchers: ["scenario": "total_outage"],
                               preAuthorized: false, steps: ["Confirm scope", "Stop trading", "Fail over"], body: "")],
            ackLinks: AckLinkSigner(secret: Self.ackSecret, lifetime: .seconds(3600)),
            publicURL: "http://127.0.0.1:0",
            paging: PagingRules(retry: RetrySchedule(jitter: 0.5), rateLimit: .unlimited),
            procedure: ProcedureRules(
                stageNotices: [.role(.leadership, .primary), .role(.technicalCoordinator, .primary), .role(.business, .primary), .role(.technicalExecutors, .backup)],
                tradeSwitch: TradeSwitch(stopURL: "http://127.0.0.1:\(listenerPort)/platform/stop-trading",
                                         resumeURL: "http://127.0.0.1:\(listenerPort)/platform/resume-trading")
            )
        )
        customize(&rules, listenerPort)
        return rules
    }

    /// A ceiling on the SQLite file's size in pages, from the next `startServer()`: a disk filling up.
    var sqliteMaxPages: Int?
    /// How late work may run before `/readyz` says so; read when the server starts.
    var overdueAfter: Duration = .seconds(30)

    /// Opens the store and starts engine and server, as a daemon start does.
    func startServer() async throws {
        let store: any IncidentStore = if let postgresDatabase, let postgresServer {
            try PostgresIncidentStore(instance: "test", now: clock.now(), logger: Self.quietLogger, open: TestPostgres.connecting(to: postgresDatabase, on: postgresServer))
        } else {
            try SQLiteIncidentStore(path: databasePath, maxPages: sqliteMaxPages)
        }
        let rules = rules
        let metrics = MetricsExposition()
        engine = Engine(store: store, rules: rules, delivery: PageDelivery(timeout: HTTPTransfer.patience, connectTimeout: HTTPTransfer.patience, roster: rules.roster),
                        clock: clock, logger: Self.quietLogger, overdueAfter: overdueAfter, random: { 0 }, metrics: metrics.recorder)
        try store.declareHeartbeats(Self.heartbeats, rules: engine.rules, now: clock.now())
        try engine.refreshRosterChanges()
        let server = TocsinServer(engine: engine, tokens: Self.tokens, maxBodyBytes: 64 * 1024, integrations: Self.integrations, metrics: metrics)
        let running = try await RunningApplication.start("tocsind") {
            server.application(host: "127.0.0.1", port: try LoopbackPort.free(), logger: Self.quietLogger, onListening: $0)
        }
        self.server = running
        port = running.port
    }

    /// Stops the server as a shutdown would; the database file stays.
    func stopServer() async {
        await server?.stop()
        server = nil
        engine?.shutdown()
        engine = nil
    }

    /// Stops the servers and removes the temporary folder. Not async, so that a test's `defer`
    /// runs it before the test ends: a `Task` started there may never run if the test process
    /// exits first, leaving the folder behind. The servers finish stopping on their own.
    func stop() {
        server?.task.cancel()
        receiver?.task.cancel()
        engine?.shutdown()
        engine = nil
        try? FileManager.default.removeItem(at: folder)
        if let postgresDatabase, let postgresServer { TestPostgres.dropDatabase(postgresDatabase, on: postgresServer) }
    }

    /// Moves the clock and fires whatever has come due, delivering its pages.
    func advance(by seconds: TimeInterval) async {
        clock.advance(by: seconds)
        await engine.runDue()
    }

    func runDue() async { await engine.runDue() }

    /// Moves the clock in steps of `step` seconds up to `seconds`, firing what comes due at each.
    func advance(by seconds: TimeInterval, inStepsOf step: TimeInterval) async {
        var moved = 0.0
        while moved < seconds {
            let next = min(step, seconds - moved)
            await advance(by: next)
            moved += next
        }
    }

    /// The incident's timeline events of `kind`.
    func events(_ kind: TimelineEventKind, incident: Int64 = 1) throws -> [TimelineEvent] {
        try engine.store.timeline(incident).filter { $0.kind == kind }
    }

    /// A person whose one webhook goes to the test receiver under `/ID`.
    static func person(_ id: String, port: Int, methods: [ContactMethod]? = nil) -> Person {
        Person(id: id, name: id, timeZone: "Asia/Shanghai", contactMethods: methods ?? [ContactMethod(webhookURL: "http://127.0.0.1:\(port)/\(id)")])
    }

    /// Pages that ask for an acknowledgement, leaving out notices (stage changes, update reminders).
    var escalationPages: [PageListener.Received] { listener.pages.filter { $0.json["kind"] == nil } }

    /// Notices received, as (person, subject).
    var notices: [(person: String, subject: String)] {
        listener.pages.compactMap { page in
            guard page.json["kind"] as? String == "notice" else { return nil }
            return (page.json["person"] as? String ?? "?", page.json["subject"] as? String ?? "?")
        }
    }

    // MARK: HTTP

    func request(_ method: String, _ path: String, token: String? = "token-monitoring", body: String? = nil, contentType: String = "application/json",
                 headers extra: [String: String] = [:]) async -> HTTPTransfer.Response {
        var headers = extra
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil { headers["Content-Type"] = contentType }
        return await HTTPTransfer(method: method, url: baseURL + path, headers: headers, body: body.map { Data($0.utf8) }).sendPatiently()
    }

    func postAlert(_ json: String, token: String = "token-monitoring") async -> HTTPTransfer.Response {
        await request("POST", "/api/v1/alerts", token: token, body: json)
    }

    static func alertJSON(key: String = "pay-5xx", service: String = "payments-core", status: String = "firing",
                          urgency: String = "high", startsAt: Date, scenario: String = "total_outage") -> String {
        """
        {"source":"prometheus","dedup_key":"\(key)","summary":"Payment API 5xx above 20%","service":"\(service)",
         "labels":{"urgency":"\(urgency)","scenario":"\(scenario)"},"status":"\(status)","starts_at":"\(UTCTime.string(startsAt))"}
        """
    }

    // MARK: logging

    static let quietLogger: Logger = {
        var logger = Logger(label: "tocsin.test")
        logger.logLevel = .critical
        return logger
    }()
}

typealias HTTPTransferResponse = HTTPTransfer.Response

extension HTTPTransfer.Response {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
}
