import ArgumentParser
import Foundation
import Hummingbird
import Logging
import TocsinConfig
import TocsinCore
import TocsinEngine
import TocsinHTTP
import TocsinManual
import TocsinPager
import TocsinPostgres
import TocsinStore

/// The daemon: loads the config, opens the store, runs the engine and the HTTP server
/// until SIGTERM or SIGINT; SIGHUP reloads the config.
@main
struct Tocsind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tocsind",
        abstract: "Tocsin's daemon: takes alerts, opens incidents, pages the emergency roles."
    )

    @Option(name: .shortAndLong, help: "The config file.")
    var config = "Deploy/tocsin.yaml"

    @Option(help: "How log lines are written on standard error: text, or json (one object a line).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument {
        case text, json
    }

    @Flag(help: .hidden) var manual = false

    func run() async throws {
        if manual {
            print(ManualPage(Self.self, section: 8, extra: [
                ("Signals", """
                    SIGTERM or SIGINT: stop taking requests, commit the alerts already accepted, let pages on their way finish \
                    and record them (at most delivery.drain_timeout), then exit. A page still unanswered stays in the outbox \
                    and goes again, under the same idempotency key, after the restart.
                    """),
                ("Files", "Deploy/tocsin.yaml: the configuration, described in docs/configuration.md."),
                ("See also", "tocsin(1)."),
            ]).text, terminator: "")
            return
        }
        if logFormat == .json {
            LoggingSystem.bootstrap { label in JSONLogLine(label: label) }
        }
        let logger = Logger(label: "tocsind")
        let settings: TocsinConfiguration
        do {
            settings = try TocsinConfiguration.load(path: config)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("tocsind: refusing to start: \(error)\n".utf8))
            throw ExitCode(78)
        } catch let errors as ConfigErrors {
            FileHandle.standardError.write(Data("tocsind: refusing to start, \(errors.errors.count) problems:\n\(errors)\n".utf8))
            throw ExitCode(78)
        }
        let store: any IncidentStore
        var writerLock: WriterLock?
        switch settings.database {
        case .sqlite(let path):
            do {
                // Open alerts live in one daemon's memory: one daemon to a file.
                writerLock = try WriterLock(databasePath: path)
            } catch {
                FileHandle.standardError.write(Data("tocsind: refusing to start: \(error)\n".utf8))
                throw ExitCode(75)
            }
            store = try SQLiteIncidentStore(path: path)
        case .postgres(let address):
            store = try PostgresIncidentStore(
                instance: "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)", now: Date(), logger: logger,
                open: PostgresIncidentStore.connecting(to: address, logger: logger))
        }
        defer { withExtendedLifetime(writerLock) {} }
        let metrics = MetricsExposition()
        let engine = Engine(
            store: store, rules: settings.responseRules,
            delivery: PageDelivery(timeout: settings.deliveryTimeout, connectTimeout: settings.deliveryConnectTimeout, roster: settings.roster),
            clock: SystemClock(), logger: logger, overdueAfter: settings.overdueAfter, metrics: metrics.recorder
        )
        try store.declareHeartbeats(settings.heartbeats, rules: engine.rules, now: engine.clock.now())
        try engine.refreshRosterChanges()
        (store as? SQLiteIncidentStore)?.warmUp(rules: engine.rules, now: engine.clock.now())
        let tls: ServerTLS?
        do {
            tls = try settings.tls.map { try ServerTLS(certificatePath: $0.certificatePath, keyPath: $0.keyPath) }
        } catch {
            FileHandle.standardError.write(Data("tocsind: refusing to start: \(config): listen.tls: cannot load the certificate or key: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let access = ServerAccess(tokens: settings.tokens, integrations: settings.integrations)
        let reload = ConfigurationReload(path: config, running: settings, engine: engine, access: access, logger: logger)
        // SIGHUP reloads the configuration, as `POST /api/v1/system/reload` does.
        signal(SIGHUP, SIG_IGN)
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "tocsin-reload"))
        hangUp.setEventHandler { _ = reload.reload(by: "SIGHUP") }
        hangUp.resume()
        defer { hangUp.cancel() }
        let server = TocsinServer(engine: engine, access: access, maxBodyBytes: settings.maxBodyBytes, reload: reload, tls: tls, metrics: metrics)
        let scheme = tls == nil ? "http" : "https"
        let app = server.application(host: settings.host, port: settings.port, logger: logger) { port in
            logger.info("tocsind listening on \(scheme)://\(settings.host):\(port) (database \(settings.database.description), \(settings.roster.people.count) people, \(settings.runbooks.count) runbooks, \(settings.integrations.count) integrations, \(settings.heartbeats.count) heartbeats)")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await engine.run() }
            if !settings.fallbackContacts.isEmpty {
                let watch = FallbackWatch(engine: engine, settings: FallbackSettings(contacts: settings.fallbackContacts, repeatEvery: settings.fallbackRepeat),
                                          delivery: PageDelivery(timeout: settings.deliveryTimeout, connectTimeout: settings.deliveryConnectTimeout),
                                          logger: logger)
                group.addTask { await watch.run() }
            }
            if let shared = store as? PostgresIncidentStore {
                group.addTask { await shared.watchForWork { engine.workElsewhere(dueAt: $0) } }
            }
            // SIGTERM: the server stops taking requests and answers those under way, then the
            // alerts handed in commit, then pages on their way finish and are recorded.
            try await app.runService()
            engine.shutdown()
            let unrecorded = await engine.drain(timeout: settings.drainTimeout)
            if unrecorded > 0 {
                logger.warning("\(unrecorded) pages still unanswered after \(settings.drainTimeout); they stay in the outbox and go again after the restart")
            } else {
                logger.info("every page on its way was answered and recorded")
            }
            group.cancelAll()
        }
        logger.info("tocsind stopped")
    }
}
