import Foundation
import TocsinTestSupport

/// Three tocsind on one PostgreSQL database (a primary and its synchronous replica), all on
/// 127.0.0.1, paging a receiver in this process. The sample config with two changes: the
/// backup is paged 2 s after the commander, so that every trial has deadlines under way, and
/// flood bundling is off, so that every page is counted on its own.
struct Cluster {
    static let backupDelay: TimeInterval = 2
    let database: String
    let instances: [TocsindDaemon]

    init(tocsind: String, primary: ScratchPostgres, replica: ScratchPostgres, receiverPort: Int, size: Int = 3) async throws {
        database = "chaos_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))"
        try primary.psql("CREATE DATABASE \(database)")
        var instances: [TocsindDaemon] = []
        for _ in 0..<size {
            let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: receiverPort)
            try folder.replace("database: ../var/tocsin.sqlite",
                               with: "database: postgres://postgres@127.0.0.1:\(primary.port),127.0.0.1:\(replica.port)/\(database)", in: "Deploy/tocsin.yaml")
            try folder.replace("      - after: 5m\n        page: [fault_analyst.backup]",
                               with: "      - after: \(Int(Self.backupDelay))s\n        page: [fault_analyst.backup]", in: "Deploy/tocsin.yaml")
            try folder.replace("rate_limit: {messages: 6, per: 1m}", with: "rate_limit: none", in: "Deploy/tocsin.yaml")
            instances.append(try TocsindDaemon(folder, executable: tocsind))
        }
        for instance in instances { try await instance.waitUntilServing() }
        self.instances = instances
    }

    func stop() {
        for instance in instances {
            instance.stop()
            instance.folder.remove()
        }
    }
}
