import Foundation
import TocsinCore
#if canImport(Glibc)
import Glibc
#endif

/// A browser's open Server-Sent Events stream, read over a plain loopback socket: the
/// request goes out once and whatever the daemon writes is read as it comes, so the moment a
/// line arrives can be timed. Blocking; used from threads of its own.
final class EventStreamSocket: @unchecked Sendable {
    private let descriptor: Int32
    /// What arrived and has not yet been looked past.
    private var unread: [UInt8] = []

    init(port: Int, path: String, cookie: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw BenchFailure("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nCookie: \(cookie)\r\nAccept: text/event-stream\r\n\r\n".utf8)
        guard send(descriptor, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else {
            close(descriptor)
            throw BenchFailure("could not send the stream request")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Reads until `marker` has arrived, and forgets everything up to it; false if it has not
    /// within `limit` or the stream ended.
    func read(until marker: String, within limit: Duration) -> Bool {
        let wanted = Array(marker.utf8)
        let deadline = ContinuousClock.now + limit
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = Self.end(of: wanted, in: unread) {
                unread.removeFirst(end)
                return true
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, Int32(max(1, left.seconds * 1000))) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { return false }
            unread.append(contentsOf: buffer[0..<count])
        }
    }

    private static func end(of wanted: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= wanted.count else { return nil }
        for start in 0...(bytes.count - wanted.count) where bytes[start] == wanted[0] {
            if bytes[start..<(start + wanted.count)].elementsEqual(wanted) { return start + wanted.count }
        }
        return nil
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}
