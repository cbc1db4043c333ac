import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// A Server-Sent Events response that reads the record every `interval` and sends what `next`
/// finds, for `lifetime`, after which the browser reconnects from the last event it had. A
/// comment now and then finds out whether the browser has gone. A stopping daemon ends the
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

    static func response<State: Sendable>(from state: State, every interval: Duration, for lifetime: Duration,
                                          next: @escaping @Sendable (inout State) throws -> [Message]) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var state = state
            do {
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                let deadline = ContinuousClock.now.advanced(by: lifetime)
                var quietSince = ContinuousClock.now
                while ContinuousClock.now < deadline, !Task.isShuttingDownGracefully, !Task.isCancelled {
                    let messages = try next(&state)
                    for message in messages {
                        try await writer.write(ByteBuffer(string: "id: \(message.id)\nevent: \(message.event)\ndata: \(message.data)\n\n"))
                    }
                    if !messages.isEmpty {
                        quietSince = ContinuousClock.now
                    } else if ContinuousClock.now - quietSince > .seconds(15) {
                        try await writer.write(ByteBuffer(string: ": waiting\n\n"))
                        quietSince = ContinuousClock.now
                    }
                    try await Task.sleep(for: interval)
                }
            } catch {
                // Cut short: what was sent stands, and the browser asks again from there.
            }
            try? await writer.finish(nil)
        })
    }
}
