import Foundation
import Logging
import TocsinHTTP
import TocsinTestSupport

// `make chaos`: PostgreSQL (a primary and its synchronous replica) and three tocsind on
// 127.0.0.1, a bounded load of distinct alerts to all three, and in each trial one death at a
// random moment: `kill -9` of a random instance, or SIGKILL of the primary and the replica
// promoted. Prints what was lost, left unpaged and doubled, and how long deadlines waited.
//
// tocsin-chaos [--instances N] [--primaries N] [--tocsind PATH] [OUTPUT.md]

var instanceTrials = 30, primaryTrials = 5
var tocsind = FileManager.default.currentDirectoryPath + "/.build/release/tocsind"
var output = "chaos-results.md"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--instances": instanceTrials = Int(arguments.popFirst() ?? "") ?? instanceTrials
    case "--primaries": primaryTrials = Int(arguments.popFirst() ?? "") ?? primaryTrials
    case "--tocsind": tocsind = arguments.popFirst() ?? tocsind
    default: output = argument
    }
}

func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

var quiet = Logger(label: "tocsin.chaos")
quiet.logLevel = .critical
var primary = try await ScratchPostgres.started(durable: true)
var replica = try await ScratchPostgres.replica(of: primary)
var results: [(Trial.Victim, TrialResult)] = []
let plan = Array(repeating: Trial.Victim.instance, count: instanceTrials) + Array(repeating: Trial.Victim.primary, count: primaryTrials)
for (number, victim) in plan.enumerated() {
    let receiver = PageListener()
    let running = try await RunningApplication.start("the receiver") { receiver.application(port: 0, logger: quiet, onListening: $0) }
    let cluster = try await Cluster(tocsind: tocsind, primary: primary, replica: replica, receiverPort: running.port)
    var result = try await Trial.run(number: number, killing: victim, cluster: cluster, primary: primary, replica: replica, receiver: receiver)
    result.duplicateDeliveries = receiver.duplicates
    cluster.stop()
    await running.stop()
    results.append((victim, result))
    say("trial \(number + 1)/\(plan.count) (\(victim == .instance ? "an instance" : "the primary")): \(result.accepted) accepted, \(result.lost) lost, "
        + "\(result.unpaged) unpaged, \(result.incidentsNotOne) not one incident, \(result.duplicateDeliveries) repeated deliveries"
        + (result.outage.map { String(format: ", an alert sent after the primary died accepted %.2f s after its death", $0) } ?? ""))
    if victim == .primary {
        // The promoted replica is the primary now; the dead one is replaced by a new replica.
        primary.stop()
        primary = replica
        replica = try await ScratchPostgres.replica(of: primary)
    }
}
primary.stop()
replica.stop()

func percentile(_ values: [TimeInterval], _ p: Double) -> String {
    guard !values.isEmpty else { return "–" }
    let sorted = values.sorted()
    return String(format: "%.2f s", sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)])
}

let instances = results.filter { $0.0 == .instance }.map(\.1), primaries = results.filter { $0.0 == .primary }.map(\.1)
let all = results.map(\.1)
let lateness = instances.flatMap(\.latenessAfterDeath)
let outages = primaries.compactMap(\.outage)
let table = """
    Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; tocsind \(tocsind); three instances, one PostgreSQL primary with a synchronous replica, all on 127.0.0.1.
    \(instanceTrials) trials killing a random instance (kill -9) and \(primaryTrials) killing the primary (SIGKILL, replica promoted after 1 s), each at a random moment of \(Trial.alerts) distinct alerts sent over \(Int(Trial.spread)) s.

    | measure | result |
    |---|---|
    | alerts accepted (202) | \(all.map(\.accepted).reduce(0, +)) of \(all.count * Trial.alerts) sent |
    | accepted and lost | \(all.map(\.lost).reduce(0, +)) |
    | accepted alerts without exactly one incident | \(all.map(\.incidentsNotOne).reduce(0, +)) |
    | incidents whose commander or backup page never arrived | \(all.map(\.unpaged).reduce(0, +)) |
    | pages delivered under two different keys | \(all.map(\.incidentsNotOne).reduce(0, +)) (one incident per alert, so one key per page) |
    | the same key delivered twice | \(all.map(\.duplicateDeliveries).reduce(0, +)) |
    | instance death → its backup pages sent elsewhere, lateness (\(lateness.count) pages due within 5 s of a death) | p50 \(percentile(lateness, 0.5)), p99 \(percentile(lateness, 0.99)), max \(percentile(lateness, 1)) |
    | primary death → first alert sent after it accepted, replica promoted after 1 s (\(outages.count) trials) | p50 \(percentile(outages, 0.5)), max \(percentile(outages, 1)) |

    """
print(table)
try table.write(toFile: output, atomically: true, encoding: .utf8)
