import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A throwaway PostgreSQL server for a test run: a new cluster in a temporary folder, listening
/// on 127.0.0.1 at a free port, stopped and removed when the test process exits. What waits on
/// the server's programs runs on a thread of its own (`onOwnThread`), so a server starting up
/// does not hold up the tests running meanwhile.
///
/// PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user
/// (through `setpriv`, which becomes that user and runs the program itself). They are started
/// through the shell with none of this process's descriptors: the server outlives `pg_ctl`,
/// and a test process's descriptors and signal settings are no business of it.
public final class ScratchPostgres: Sendable {
    public let port: Int
    public let folder: String
    public let username = "postgres"
    /// Whether the server writes its log to disk before a commit returns. The tests kill
    /// processes, never the machine, so what the kernel holds survives them and they leave it
    /// off; benchmarks and chaos trials, which state what a commit costs, turn it on.
    public let durable: Bool

    /// The one server of this test process, started on first use.
    public static func shared() async throws -> ScratchPostgres {
        try await sharedStart.value
    }

    private static let sharedStart = Task { try await started() }

    /// A new server of the caller's own.
    public static func started(durable: Bool = false) async throws -> ScratchPostgres {
        try await onOwnThread { try ScratchPostgres(durable: durable) }
    }

    /// A synchronous streaming replica of `primary`: a base backup of it, following its log,
    /// with the primary waiting for the replica before any commit returns.
    public static func replica(of primary: ScratchPostgres) async throws -> ScratchPostgres {
        try await onOwnThread { try ScratchPostgres(replicaOf: primary) }
    }

    private init(durable: Bool) throws {
        self.durable = durable
        port = try LoopbackPort.free()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-postgres-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 { try Self.shell("chown postgres \(folder)") }
        try Self.shell("\(try Self.program("initdb")) -D \(folder)/data -A trust -U \(username) --no-sync -E UTF8")
        Self.running.withLock { $0.append(folder) }
        atexit { ScratchPostgres.stopAll() }
        try startServer()
    }

    private init(replicaOf primary: ScratchPostgres) throws {
        durable = primary.durable
        port = try LoopbackPort.free()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-postgres-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 { try Self.shell("chown postgres \(folder)") }
        try Self.shell("\(try Self.program("pg_basebackup")) -h 127.0.0.1 -p \(primary.port) -U \(username) -D \(folder)/data -R -X stream -c fast --no-sync")
        Self.running.withLock { $0.append(folder) }
        try startServer()
        try primary.psql("ALTER SYSTEM SET synchronous_standby_names = '*'")
        try primary.psql("SELECT pg_reload_conf()")
    }

    /// Makes a replica the primary (`pg_ctl promote`), waiting until it takes writes.
    public func promote() async throws {
        let folder = folder
        try await onOwnThread { try Self.shell("\(try Self.program("pg_ctl")) -D \(folder)/data -w promote") }
    }

    /// Runs one SQL statement with `psql` as the superuser, in `database`, and returns what it
    /// printed: unaligned rows, one a line, fields split by `|`.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-psql-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        try Self.shell("\(try Self.program("psql")) -h 127.0.0.1 -p \(port) -U \(username) -d \(database) -At -v ON_ERROR_STOP=1 -c \"\(sql)\" -o \(output)")
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Times `count` durable commits, each of a one-row insert in a transaction of its own,
    /// sent by `psql` over loopback: what every durable write on this server costs at least.
    /// Milliseconds, as `psql` measures them (from sending the statement to its answer).
    public func commitTimes(_ count: Int, database: String = "postgres") throws -> [Double] {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("tocsin-commits-\(UUID().uuidString).sql")
        defer { try? FileManager.default.removeItem(at: script) }
        let inserts = String(repeating: "INSERT INTO commit_probe VALUES (1);\n", count: count)
        try "CREATE TABLE IF NOT EXISTS commit_probe (n INTEGER);\n\\timing on\n\(inserts)".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: script.path)
        let (status, output) = try ChildProcess.run("/bin/sh", ["-c", "cd /tmp && \(try Self.program("psql")) -h 127.0.0.1 -p \(port) -U \(username) -d \(database) -q -f \(script.path)"])
        guard status == 0 else { throw ScratchPostgresError("psql exited with status \(status): \(output.suffix(800))") }
        return output.split(separator: "\n").compactMap { line in
            line.hasPrefix("Time: ") ? Double(line.dropFirst(6).split(separator: " ")[0]) : nil
        }
    }

    /// SIGKILL to the server's main process and every process it started, as the loss of its
    /// machine would end them all at once.
    public func killNine() {
        guard let text = try? String(contentsOfFile: "\(folder)/data/postmaster.pid", encoding: .utf8),
              let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }) else { return }
        Glibc.kill(pid, SIGSTOP)
        _ = try? ChildProcess.run("/usr/bin/pkill", ["-KILL", "-P", "\(pid)"])
        Glibc.kill(pid, SIGKILL)
    }

    /// Starts the server again, after `kill()`, and waits until it takes connections.
    public func start() async throws {
        try await onOwnThread { try self.startServer() }
    }

    private func startServer() throws {
        try Self.shell("\(try Self.program("pg_ctl")) -D \(folder)/data -l \(folder)/log -W start"
            + " -o '-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c fsync=\(durable ? "on" : "off") -c max_connections=400'")
        try waitUntilReady()
    }

    /// Stops the server at once, as a crash of its machine would, keeping its files.
    public func kill() async throws {
        let folder = folder
        try await onOwnThread { try Self.shell("\(try Self.program("pg_ctl")) -D \(folder)/data -m immediate -w stop") }
    }

    /// Stops the server at once and removes its folder.
    public func stop() {
        Self.stop(folder)
    }

    /// Waits (at most a minute) until the server marks itself ready for connections.
    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let pid = (try? String(contentsOfFile: "\(folder)/data/postmaster.pid", encoding: .utf8)) ?? ""
            // A primary marks itself "ready", a replica "standby".
            if let status = pid.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces), status == "ready" || status == "standby" { return }
            usleep(20_000)
        }
        let log = (try? String(contentsOfFile: "\(folder)/log", encoding: .utf8)) ?? ""
        throw ScratchPostgresError("PostgreSQL did not become ready within 60 s: \(log.suffix(800))")
    }

    private static let running = Mutex<[String]>([])

    private static func stopAll() {
        for folder in running.withLock({ $0 }) { stop(folder) }
    }

    private static func stop(_ folder: String) {
        if let pgCtl = try? program("pg_ctl") { try? shell("\(pgCtl) -D \(folder)/data -m immediate -w stop") }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A server program from Debian's folder of the newest version installed, run as
    /// `postgres` when this process is root.
    static func program(_ name: String) throws -> String {
        let root = "/usr/lib/postgresql"
        guard let version = try? FileManager.default.contentsOfDirectory(atPath: root).compactMap(Int.init).max() else {
            throw ScratchPostgresError("PostgreSQL's server is not installed under \(root); `make test` installs Debian's postgresql")
        }
        let path = "\(root)/\(version)/bin/\(name)"
        return getuid() == 0 ? "/usr/bin/setpriv --reuid=postgres --regid=postgres --init-groups \(path)" : path
    }

    private static func shell(_ command: String) throws {
        let (status, output) = try ChildProcess.run("/bin/sh", ["-c", "cd /tmp && \(command)"])
        guard status == 0 else { throw ScratchPostgresError("`\(command)` exited with status \(status): \(output.suffix(800))") }
    }
}

/// Why a test's PostgreSQL server could not start.
public struct ScratchPostgresError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
