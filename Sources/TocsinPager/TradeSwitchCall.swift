import Foundation
import TocsinCore

/// Calls the payment platform's stop-trade or resume-trade endpoint.
///
/// The answer is what matters: only a 2xx means trading really stopped (or resumed), and
/// anything else must leave the incident where it was.
public struct TradeSwitchCall: Sendable {
    public var endpoints: TradeSwitch
    public var timeout: Duration

    public init(endpoints: TradeSwitch, timeout: Duration = .seconds(10)) {
        self.endpoints = endpoints
        self.timeout = timeout
    }

    /// Sends the order; returns whether the platform confirmed it and its answer in words.
    /// A drill's order (`drill`) says so in its body, for the drill endpoint it goes to.
    public func send(stop: Bool, incidentID: Int64, orderedBy: String, what: String?, drill: Bool = false) async -> (succeeded: Bool, answer: String) {
        var body: [String: Any] = ["incident_id": incidentID, "action": stop ? "stop" : "resume", "ordered_by": orderedBy]
        body["what"] = what
        if drill { body["drill"] = true }
        var headers = ["Content-Type": "application/json", "Idempotency-Key": "incident-\(incidentID)/\(stop ? "stop" : "resume")-trade"]
        if let token = endpoints.token { headers["Authorization"] = "Bearer \(token)" }
        let response = await HTTPTransfer(
            method: "POST", url: stop ? endpoints.stopURL : endpoints.resumeURL, headers: headers,
            body: try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), timeout: timeout
        ).send()
        let text = String(decoding: response.body.prefix(500), as: UTF8.self)
        if let error = response.error { return (false, error) }
        let status = response.status ?? 0
        return ((200..<300).contains(status), "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)"))
    }
}
