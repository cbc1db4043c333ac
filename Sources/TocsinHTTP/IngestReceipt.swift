import Hummingbird
import TocsinStore

/// The answer every ingest endpoint gives a committed batch: how many alerts it took and
/// what became of them.
///
/// Written by hand rather than with `JSONEncoder`: it answers every alert request, and the
/// encoder cost more than all the rest of the answer.
struct IngestReceipt {
    var accepted: Int
    var outcome: IngestOutcome

    func response(status: HTTPResponse.Status) -> Response {
        let incidents = outcome.openedIncidents.map(String.init).joined(separator: ",")
        let json = #"{"accepted":\#(accepted),"created":\#(outcome.created),"deduplicated":\#(outcome.deduplicated),"#
            + #""ignored":\#(outcome.ignored),"opened_incidents":[\#(incidents)],"resolved":\#(outcome.resolved)}"#
        return textResponse(json, contentType: "application/json", status: status)
    }
}
