import ArgumentParser
import Foundation
import TocsinPager

/// Where tocsind is and who is asking: the options every API command shares.
struct ServerOptions: ParsableArguments {
    @Option(help: "tocsind's base URL (or set TOCSIN_URL).")
    var server = ProcessInfo.processInfo.environment["TOCSIN_URL"] ?? "http://127.0.0.1:8080"

    @Option(help: "Your bearer token (or set TOCSIN_TOKEN).")
    var token = ProcessInfo.processInfo.environment["TOCSIN_TOKEN"] ?? ""

    /// Sends a request to tocsind and returns the body of a 2xx answer; anything else
    /// becomes an error that shows the server's problem description.
    func call(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        guard !token.isEmpty else {
            throw ClientError("No token: pass --token or set TOCSIN_TOKEN (tokens are listed in tocsin.yaml).")
        }
        var headers = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let response = await HTTPTransfer(method: method, url: base + path, headers: headers, body: body).send()
        if let error = response.error {
            throw ClientError("Cannot reach tocsind at \(server): \(error). Is it running (`make run`)?")
        }
        let status = response.status ?? 0
        guard (200..<300).contains(status) else {
            let problem = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
            let title = problem?["title"] as? String ?? "HTTP \(status)"
            let detail = problem?["detail"] as? String ?? String(decoding: response.body, as: UTF8.self)
            throw ClientError("\(title) (HTTP \(status)): \(detail)")
        }
        return response.body
    }
}

/// An error the CLI prints as one line and exits non-zero.
struct ClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
