import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that nothing listens on, for a program a test starts.
///
/// Ports come from below the kernel's ephemeral range (32768 and up on Linux), so that no
/// outgoing connection and no server asking for "any port" can take one between the test
/// choosing it and its program binding it. No port is handed out twice in one test run, so
/// tests running side by side never draw the same one.
public enum LoopbackPort {
    public static func free() throws -> Int {
        let (socket, port) = try bound()
        close(socket)
        return port
    }

    /// A free port kept bound, without listening, until `release()`: connections to it are
    /// refused and no other program can take it meanwhile, as a receiver that is down.
    public static func reserve() throws -> Reserved {
        let (socket, port) = try bound()
        return Reserved(port: port, socket: socket)
    }

    /// A port held by `reserve()`.
    public final class Reserved: @unchecked Sendable {
        public let port: Int
        private let socket: Int32
        private let lock = NSLock()
        private var released = false

        fileprivate init(port: Int, socket: Int32) {
            self.port = port
            self.socket = socket
        }

        /// Lets go of the port, for a server to bind it at once.
        public func release() {
            let first = lock.withLock { () -> Bool in
                defer { released = true }
                return !released
            }
            if first { close(socket) }
        }

        deinit { release() }
    }

    static let ports = 20_000..<32_768
    private static let handedOut = Mutex<Set<Int>>([])

    /// A socket bound to 127.0.0.1 at a free port of `ports`, and that port. Without
    /// SO_REUSEADDR, so that no other socket can bind the port while this one is open.
    private static func bound() throws -> (Int32, Int) {
        for _ in 0..<200 {
            let port = Int.random(in: ports)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            // Close-on-exec: a program a test starts meanwhile must not keep the port.
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard socket >= 0 else { throw HarnessFailure("cannot open a socket to find a free port") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if bound { return (socket, port) }
            close(socket)
        }
        throw HarnessFailure("no free port on 127.0.0.1 in \(ports) after 200 tries")
    }

    /// `count` distinct free ports.
    public static func free(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = try free()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }
}

/// Why the test harness could not set something up.
public struct HarnessFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
