/// What happened when Tocsin tried to deliver one page.
public struct DeliveryResult: Sendable, Hashable {
    /// HTTP status, or nil when no response came back.
    public var status: Int?
    public var latency: Duration
    /// What went wrong, in words: a libcurl error or the HTTP status.
    public var error: String?
    /// How long the receiver asked to be left alone (`Retry-After`), if it said.
    public var retryAfter: Duration?

    public init(status: Int?, latency: Duration, error: String?, retryAfter: Duration? = nil) {
        self.status = status
        self.latency = latency
        self.error = error
        self.retryAfter = retryAfter
    }

    public var delivered: Bool { error == nil && (200..<300).contains(status ?? 0) }

    /// Worth trying again: no answer (timeout, connection error), a 5xx or a 429. Other 4xx say
    /// the request itself is wrong.
    public var isRetryable: Bool {
        guard let status else { return true }
        return status >= 500 || status == 429
    }
}
