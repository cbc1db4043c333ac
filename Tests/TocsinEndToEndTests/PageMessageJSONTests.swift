import Foundation
import Testing
import TocsinCore
@testable import TocsinStore

/// The page message is the body receivers parse; written by hand for speed, it must stay
/// exactly what `JSONEncoder` wrote before.
@Suite struct PageMessageJSONTests {
    static let messages: [PageMessage] = [
        PageMessage(incidentID: 1, severity: .sev1, summary: "payments failing", service: "payments-core", stage: .reported, step: 0,
                    person: "chen.wei", runbook: nil, acknowledgeURL: "http://127.0.0.1:8080/ack/1?person=chen.wei&expires=1795000000&sig=abc-_x"),
        PageMessage(incidentID: 9_007_199_254_740_993, severity: .sev3, summary: #"card "auth" \ 5xx at 40% / région café ✓"#, service: "cards",
                    stage: .tradingStopped, step: 12, person: "li.na",
                    runbook: RunbookReference(id: "stop-trading", title: "Stop \"trading\"\nnow\t/ at once", preAuthorized: true),
                    acknowledgeURL: "https://tocsin.example/ack/9?person=li.na", reason: .acknowledgementTimedOut),
        PageMessage(incidentID: 42, severity: .sev2, summary: "bell \u{07} backspace \u{08} feed \u{0C} unit \u{1F} return \r end", service: "",
                    stage: .reconciling, step: 1, person: "", runbook: RunbookReference(id: "", title: "", preAuthorized: false), acknowledgeURL: ""),
        PageMessage(incidentID: 5, severity: .sev1, summary: "Total payment outage", service: "total-outage", stage: .reported, step: 0,
                    person: "chen.wei", runbook: nil, acknowledgeURL: "http://127.0.0.1:8080/ack/5?person=chen.wei", drill: true),
    ]

    @Test(arguments: messages)
    func theHandWrittenMessageIsWhatJSONEncoderWrote(_ message: PageMessage) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(message), as: UTF8.self)
        #expect(JSONText.encode(message) == expected)
        #expect(try JSONDecoder().decode(PageMessage.self, from: Data(JSONText.encode(message).utf8)) == message)
    }
}
