import Foundation
import Hummingbird
import Logging
import TocsinHTTP
import TocsinPager

/// The built `tocsind` and `tocsin` binaries and the repository they come from.
public enum TocsinBuild {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func binary(_ name: String) throws -> String {
        let path = repository.appendingPathComponent(".build/debug/\(name)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessFailure("\(path) is missing; run `swift build --build-tests` first")
        }
        return path
    }

    /// Runs the `tocsin` CLI to completion; its output is stdout and stderr together.
    public static func cli(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.run(try binary("tocsin"), arguments)
    }

    /// `cli` from a task, waiting on a thread of its own (see `onOwnThread`).
    public static func cli(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(try binary("tocsin"), arguments)
    }

    public static let quietLogger: Logger = {
        var logger = Logger(label: "tocsin.test")
        logger.logLevel = .critical
        return logger
    }()
}

/// A copy of Deploy/, Contacts/ and Runbooks/ in a temporary folder, whose daemon listens on
/// `port` and whose people's webhooks reach a test's `PageListener` on `listenerPort`.
public struct DaemonFolder: Sendable {
    public let root: URL
    public let port: Int

    public init(port: Int, listenerPort: Int) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tocsind-\(UUID().uuidString)")
        self.port = port
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Deploy", "Contacts", "Runbooks"] {
            try FileManager.default.copyItem(at: TocsinBuild.repository.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        try replace("port: 8080", with: "port: \(port)", in: "Deploy/tocsin.yaml")
        try replace("http://127.0.0.1:8080", with: "http://127.0.0.1:\(port)", in: "Deploy/tocsin.yaml")
        try replace("127.0.0.1:9099", with: "127.0.0.1:\(listenerPort)", in: "Contacts/people.yaml")
    }

    public var configPath: String { root.appendingPathComponent("Deploy/tocsin.yaml").path }

    /// Replaces every `old` in one of the folder's files. Throws when there is none, so that a
    /// test whose edit no longer matches the shipped file fails saying so, not with the file
    /// silently left as it was.
    public func replace(_ old: String, with new: String, in file: String) throws {
        let url = root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard text.contains(old) else { throw HarnessFailure("\(file) no longer contains \(old)") }
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Serves HTTPS with a self-signed certificate for 127.0.0.1 made with openssl; returns
    /// the certificate, which clients trust as their CA.
    public func enableTLS() async throws -> URL {
        let certificate = root.appendingPathComponent("tls-cert.pem"), key = root.appendingPathComponent("tls-key.pem")
        let openssl = try await ChildProcess.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                                                                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.path, "-out", certificate.path])
        guard openssl.status == 0 else { throw HarnessFailure("openssl could not make a test certificate (is the openssl package installed?)") }
        try replace("  port: \(port)\n", with: "  port: \(port)\n  tls:\n    certificate: \(certificate.path)\n    key: \(key.path)\n", in: "Deploy/tocsin.yaml")
        try replace("http://127.0.0.1:\(port)", with: "https://127.0.0.1:\(port)", in: "Deploy/tocsin.yaml")
        return certificate
    }

    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// The real `tocsind` binary serving a `DaemonFolder`, as a user runs it.
public final class TocsindDaemon: Sendable {
    public let program: RunningProgram
    public let folder: DaemonFolder
    /// Set when the daemon serves HTTPS with a test certificate.
    public let certificate: URL?

    /// Starts `executable` (this checkout's debug build unless told) on `folder`, with `options` after `--config`.
    public init(_ folder: DaemonFolder, certificate: URL? = nil, executable: String? = nil, options: [String] = []) throws {
        self.folder = folder
        self.certificate = certificate
        program = try RunningProgram("tocsind", executable: try executable ?? TocsinBuild.binary("tocsind"), arguments: ["--config", folder.configPath] + options,
                                     logFile: folder.root.appendingPathComponent("tocsind-\(UUID().uuidString.prefix(8)).log"))
    }

    public var baseURL: String { "\(certificate == nil ? "http" : "https")://127.0.0.1:\(folder.port)" }

    /// Waits (bounded) until the daemon answers its health check.
    public func waitUntilServing() async throws {
        try await Polling.until("tocsind serves \(baseURL)", limit: .seconds(20), every: .milliseconds(50), state: { [program] in program.logTail() }) {
            try program.requireRunning()
            return await request("GET", "/healthz", token: nil).status == 200
        }
    }

    public func request(_ method: String, _ path: String, token: String?, body: String? = nil) async -> HTTPTransfer.Response {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil { headers["Content-Type"] = "application/json" }
        return await HTTPTransfer(method: method, url: baseURL + path, headers: headers, body: body.map { Data($0.utf8) },
                                  certificateAuthorityFile: certificate?.path).sendPatiently()
    }

    /// A GET answered with a JSON array or object, decoded loosely for assertions.
    public func json(_ path: String, token: String) async -> Any? {
        let response = await request("GET", path, token: token)
        return try? JSONSerialization.jsonObject(with: response.body)
    }

    public func stop() { program.stop() }
    /// `stop` from a task, waiting on a thread of its own; a `defer` calls the blocking one.
    public func stop() async { await program.stop() }
    public func kill9() { program.kill9() }
}

/// A `PageListener` running in the test process: the real webhook receiver people's pages go to.
public struct LoopbackListener: Sendable {
    public let listener: PageListener
    public let running: RunningApplication

    public var port: Int { running.port }

    /// Starts `listener` on a port of its own, which no other test's sender knows.
    public static func start(_ listener: PageListener = PageListener(), named name: String = "the page listener") async throws -> LoopbackListener {
        let running = try await RunningApplication.start(name) {
            listener.application(port: try LoopbackPort.free(), logger: TocsinBuild.quietLogger, onListening: $0)
        }
        return LoopbackListener(listener: listener, running: running)
    }

    public func stop() async { await running.stop() }
}
