import HTTPTypes
import Hummingbird

/// A Server-Sent Events response that always ends cleanly. Its events are written by
/// `produce`; however that ends (done, the browser gone, the record unreadable for a moment,
/// the daemon stopping), the stream is finished, since a response body left unfinished takes
/// the whole process down, and the browser reconnects from the last event it had.
enum EventStream {
    static func response(_ produce: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                try await produce(&writer)
            } catch {
                // Cut short: what was sent stands, and the browser asks again from there.
            }
            try? await writer.finish(nil)
        })
    }
}
