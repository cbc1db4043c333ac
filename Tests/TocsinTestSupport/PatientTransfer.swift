import TocsinPager

extension HTTPTransfer {
    /// Sends with 30 s limits. A test's request to a server on 127.0.0.1 is answered in
    /// milliseconds; a shorter limit only turns a stall of the loaded machine into a failure.
    public func sendPatiently() async -> Response {
        var transfer = self
        transfer.connectTimeout = .seconds(30)
        transfer.timeout = .seconds(30)
        return await transfer.send()
    }
}
