import Foundation
import Synchronization
import TocsinCore
import TocsinPager
import TocsinTestSupport

/// Measures the console against its speed targets on the release `tocsind`, on SQLite, over
/// loopback: the incident page of an incident with 10,000 timeline events (rendered in at most
/// 50 ms, p99), a committed note reaching an open live timeline (within 250 ms, p99), and what
/// 100 open live streams cost the daemon while nothing happens (at most 5 % of a core).
/// Run with `make bench-console`; prints progress, then Markdown tables.
@main
struct ConsoleBenchmark {
    static let commander = "demo-chen-wei-token"

    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let executable = arguments.first ?? TocsinBuild.repository.appendingPathComponent(".build/release/tocsind").path
        let eventTarget = arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000
        let listener = try await LoopbackListener.start()
        let folder = try DaemonFolder(port: try LoopbackPort.free(), listenerPort: listener.port)
        let daemon = try TocsindDaemon(folder, executable: executable)
        defer {
            daemon.stop()
            folder.remove()
        }
        try await daemon.waitUntilServing()
        let events = try await IncidentFill(daemon: daemon, token: commander).fill(to: eventTarget)
        let cookie = try await signIn(daemon, token: commander)
        let render = try await renderTimes(daemon, path: "/incidents/1", cookie: cookie, requests: 200)
        let older = try await renderTimes(daemon, path: "/incidents/1?before=\(events / 2)", cookie: cookie, requests: 200)
        let latency = try await eventLatencies(daemon, cookie: cookie, after: events, samples: 200)
        let idle = try await IdleCost(daemon: daemon, cookie: cookie, after: events).measure(sessions: 100, window: .seconds(30))

        print("\n| measure (incident with \(events) events) | samples | p50 | p99 | max | target |")
        print("|---|---|---|---|---|---|")
        print(row("incident page answered (ms)", render.times, target: "p99 ≤ 50 ms") + " \(render.bytes / 1024) KiB a page")
        print(row("its older entries from the middle, `?before=\(events / 2)` (ms)", older.times, target: "p99 ≤ 50 ms") + " \(older.bytes / 1024) KiB a page")
        print(row("note posted → its line on the open live timeline (ms)", latency, target: "p99 ≤ 250 ms"))
        print("\n| open streams, idle | tocsind CPU over \(Int(idle.window.seconds)) s | target |")
        print("|---|---|---|")
        for (name, share) in idle.shares {
            print("| \(name) | \(String(format: "%.2f %%", share * 100)) of a core | ≤ 5 % with 100 |")
        }
    }

    /// Signs in through the sign-in form as the console's page does; returns the session cookie.
    static func signIn(_ daemon: TocsindDaemon, token: String) async throws -> String {
        let form = await HTTPTransfer(url: daemon.baseURL + "/sign-in").send()
        let formCookie = String((form.headers["set-cookie"] ?? "").prefix { $0 != ";" })
        let page = String(decoding: form.body, as: UTF8.self)
        guard let start = page.range(of: "name=\"csrf\" value=\"") else { throw BenchFailure("the sign-in page has no CSRF token") }
        let csrf = String(page[start.upperBound...].prefix { $0 != "\"" })
        let answer = await HTTPTransfer(method: "POST", url: daemon.baseURL + "/sign-in",
                                        headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": formCookie],
                                        body: Data("token=\(token)&csrf=\(csrf)".utf8)).send()
        let cookie = String((answer.headers["set-cookie"] ?? "").prefix { $0 != ";" })
        guard answer.status == 303, cookie.hasPrefix("tocsin_session=") else { throw BenchFailure("signing in answered \(answer.status ?? 0)") }
        return cookie
    }

    /// A page of the incident, requested one after another: the time to its last byte at the client.
    static func renderTimes(_ daemon: TocsindDaemon, path: String, cookie: String, requests: Int) async throws -> (times: [Duration], bytes: Int) {
        let page = HTTPTransfer(url: daemon.baseURL + path, headers: ["Cookie": cookie])
        var times: [Duration] = []
        var bytes = 0
        for index in 0..<(requests + 10) {
            let started = ContinuousClock.now
            let answer = await page.send()
            let took = ContinuousClock.now - started
            guard answer.status == 200 else { throw BenchFailure("the incident page answered \(answer.status ?? 0) \(answer.error ?? "")") }
            bytes = answer.body.count
            if index >= 10 { times.append(took) }
        }
        print("\(path): \(requests) requests timed after 10 to warm up")
        return (times, bytes)
    }

    /// Posts notes through the API while the incident's live timeline is open, each timed from
    /// sending the note until its line arrives on the stream.
    static func eventLatencies(_ daemon: TocsindDaemon, cookie: String, after last: Int, samples: Int) async throws -> [Duration] {
        try await onOwnThread {
            let stream = try EventStreamSocket(port: daemon.folder.port, path: "/incidents/1/live?after=\(last)", cookie: cookie)
            guard stream.read(until: "retry: 2000", within: .seconds(10)) else { throw BenchFailure("the live timeline did not start") }
            var latencies: [Duration] = []
            for sample in 0..<samples {
                // Not in step with any polling the daemon may do.
                Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.3))
                let marker = "latency-probe-\(sample)-\(UInt32.random(in: 0...UInt32.max))"
                let note = HTTPTransfer(method: "POST", url: daemon.baseURL + "/api/v1/incidents/1/note",
                                        headers: ["Authorization": "Bearer \(commander)", "Content-Type": "application/json"],
                                        body: Data(#"{"text": "\#(marker)"}"#.utf8))
                let answered = DispatchSemaphore(value: 0)
                let status = Mutex<Int?>(nil)
                let started = ContinuousClock.now
                note.send { answer in
                    status.withLock { $0 = answer.status }
                    answered.signal()
                }
                guard stream.read(until: marker, within: .seconds(10)) else { throw BenchFailure("note \(sample) never reached the live timeline") }
                latencies.append(ContinuousClock.now - started)
                answered.wait()
                guard let code = status.withLock({ $0 }), (200..<300).contains(code) else { throw BenchFailure("a note was refused") }
            }
            print("event to page: \(samples) notes timed")
            return latencies
        }
    }

    static func row(_ name: String, _ samples: [Duration], target: String) -> String {
        let sorted = samples.sorted()
        let at = { (share: Double) in sorted[min(sorted.count - 1, Int((share * Double(sorted.count - 1)).rounded(.up)))] }
        let ms = { (duration: Duration) in String(format: "%.1f", duration.milliseconds) }
        return "| \(name) | \(sorted.count) | \(ms(at(0.5))) | \(ms(at(0.99))) | \(ms(sorted.last!)) | \(target) |"
    }
}
