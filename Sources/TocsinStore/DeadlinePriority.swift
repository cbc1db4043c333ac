import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the threads that fire deadlines and take the database's writer ahead of everything
/// else on a shared host.
///
/// On a host whose processors are busy, a thread ready to run waits for its turn: a timer
/// thread waiting its turn fires late, and so does one waiting for the writer while the thread
/// that holds it waits its turn. Lowering these threads' nice value (never the request
/// handlers') gives them the processor first. That needs `CAP_SYS_NICE`, or a `RLIMIT_NICE`
/// that allows it (`LimitNICE=-10` in a systemd unit); without either they run as before.
public enum DeadlinePriority {
    /// About nine times the processor share of a thread at nice 0.
    public static let nice: Int32 = -10

    /// Gives the calling thread the deadline priority, and `name` (at most 15 bytes) as `ps -L`
    /// and `top -H` show it, so that an operator can see which threads have it. False when the
    /// system refuses the priority.
    @discardableResult
    public static func adopt(naming name: String) -> Bool {
        try? String(name.utf8.prefix(15))!.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
              let thread = id_t(link.split(separator: "/").last ?? "") else { return false }
        // On Linux, PRIO_PROCESS with a thread's id sets that thread's nice value alone.
        return setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, nice) == 0
    }

    /// Whether this process may give its threads the deadline priority.
    public static var isAllowed: Bool {
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(__RLIMIT_NICE.rawValue), &limit) == 0, limit.rlim_cur >= rlim_t(20 - nice) { return true }
        // CAP_SYS_NICE is capability 23.
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let effective = UInt64(line.split(separator: "\t").last ?? "", radix: 16) else { return false }
        return effective & (1 << 23) != 0
    }
}
