import Foundation

/// Processor time the whole machine spent, from `/proc/stat`: what a stretch of probes cost in
/// all (the servers, the database, the receiver), which their latency alone does not say.
enum MachineTime {
    /// Seconds of processor time spent outside the idle loop since boot, over all cores.
    static func busySeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal …, in hundredths of a second.
        return (ticks.reduce(0, +) - ticks[3] - ticks[4]) / 100
    }

    /// Runs `body` and returns its result with the machine's processor time spent meanwhile.
    static func spent<T>(_ body: () async throws -> T) async rethrows -> (T, seconds: Double?) {
        let before = busySeconds()
        let result = try await body()
        guard let before, let after = busySeconds() else { return (result, nil) }
        return (result, after - before)
    }
}
