import ArgumentParser
import Foundation

/// `tocsin ack ID`
struct Ack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge an incident: you are on it, stop paging others.",
        discussion: "A second acknowledgement is harmless: it is recorded and changes nothing else."
    )

    @Argument(help: "The incident id, as shown in the page or by `tocsin incidents`.")
    var id: Int64

    @OptionGroup var server: ServerOptions

    func run() async throws {
        let data = try await server.call("POST", "/api/v1/incidents/\(id)/ack")
        let answer = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let by = answer["acknowledged_by"] as? String ?? "?"
        let at = answer["acknowledged_at"] as? String ?? "?"
        if let waiting = answer["waiting_for"] as? [String], !waiting.isEmpty {
            print("Your acknowledgement of incident \(id) is recorded; this step needs everyone it paged. Still waiting for: \(waiting.joined(separator: ", ")).")
        } else if answer["already_acknowledged"] as? Bool == true {
            print("Incident \(id) was already acknowledged by \(by) at \(at); yours is recorded too.")
        } else {
            print("Incident \(id) acknowledged by \(by) at \(at). Escalation stopped.")
        }
    }
}
