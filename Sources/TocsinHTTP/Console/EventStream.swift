import HTTPTypes
import Hummingbird
import ServiceLifecycle
import TocsinStore

/// A Server-Sent Events response that sends what `next` finds in the record whenever the
/// store commits, for `lifetime`, after which the browser reconnects from the last event it
/// had. Between commits it sleeps: an open page costs nothing while nothing happens, and a
/// committed event reaches it at once. It reads at most once every `gap`, so a burst of
/// commits is sent in one go, and it reads anyway as often as the store says commits may
/// go unheard (another `tocsind` on the same PostgreSQL database).
///
/// A comment now and then finds out whether the browser has gone. A stopping daemon ends the
/// stream at once; however it ends (done, the browser gone, the record unreadable for a
/// moment), the body is finished, since one left unfinished takes the whole process down.
enum EventStream {
    /// One message: its id (what the browser sends back as `Last-Event-ID`), its event name
    /// and its data, one line of already escaped HTML.
    struct Message: Sendable {
        var id: String
        var event: String
        var data: String
    }

    /// How long a stream stays silent before a comment checks that the browser is still there.
    static let keepAlive: Duration = .seconds(15)

    static func response<State: Sendable>(from state: State, following changes: RecordChanges, gap: Duration, for lifetime: Duration,
                                          next: @escaping @Sendable (inout State) throws -> [Message]) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var state = state
            do {
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                let deadline = ContinuousClock.now.advanced(by: lifetime)
                var quietSince = ContinuousClock.now
                while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
                    // Noted before reading: a commit made during the read wakes the wait below.
                    let seen = changes.count
                    let messages = try next(&state)
                    for message in messages {
                        try await writer.write(ByteBuffer(string: "id: \(message.id)\nevent: \(message.event)\ndata: \(message.data)\n\n"))
                    }
                    if !messages.isEmpty {
                        quietSince = ContinuousClock.now
                    } else if ContinuousClock.now - quietSince >= keepAlive {
                        try await writer.write(ByteBuffer(string: ": waiting\n\n"))
                        quietSince = ContinuousClock.now
                    }
                    try await Task.sleep(for: gap)
                    let wake = min(deadline, quietSince + keepAlive, ContinuousClock.now + (changes.unheardCommitsWithin ?? keepAlive))
                    try await cancelWhenGracefulShutdown {
                        await changes.wait(after: seen, atMost: wake - ContinuousClock.now)
                    }
                }
            } catch {
                // Cut short: what was sent stands, and the browser asks again from there.
            }
            try? await writer.finish(nil)
        })
    }
}
