import TocsinPager

extension HTTPTransfer {
    /// How long a test's transfer to a server or receiver on 127.0.0.1 may take before it counts
    /// as failed. Such a transfer takes milliseconds; a shorter limit only turns a stall of the
    /// loaded machine into a failure (a page timing out would pass over to the next person).
    public static let patience: Duration = .seconds(30)

    /// Sends with `patience` as both limits.
    public func sendPatiently() async -> Response {
        var transfer = self
        transfer.connectTimeout = Self.patience
        transfer.timeout = Self.patience
        return await transfer.send()
    }
}
