import Foundation
import Hummingbird
import TocsinCore

/// A JSON response encoded the way all of Tocsin's API answers: UTC times, sorted keys.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let data = try TocsinJSON.encoder.encode(value)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

func textResponse(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
}

extension Parameters {
    func incidentID() throws -> Int64 {
        let text = get("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw Problem(.notFound, "No such incident", detail: "\"\(text)\" is not an incident id; ids are positive whole numbers.")
        }
        return id
    }
}
