import CCurl
import Foundation
import TocsinCore

/// One HTTP request sent with libcurl, and what came back.
///
/// libcurl's easy interface blocks, so each transfer runs on one of Tocsin's own transfer
/// threads rather than on Swift's cooperative ones; callers just `await` the result.
public struct HTTPTransfer: Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data?
    public var connectTimeout: Duration
    public var timeout: Duration
    /// PEM file of the certificate authorities to trust for `https://` instead of the system's,
    /// for a receiver whose certificate an internal CA signed.
    public var certificateAuthorityFile: String?

    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: Data? = nil,
                connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10), certificateAuthorityFile: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.certificateAuthorityFile = certificateAuthorityFile
    }

    /// The answer to a transfer; `error` is set when no HTTP response came back.
    public struct Response: Sendable {
        public var status: Int?
        public var body: Data
        public var latency: Duration
        public var error: String?
        /// Response headers, names in lower case.
        public var headers: [String: String] = [:]
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func send() async -> Response {
        await withCheckedContinuation { continuation in send { continuation.resume(returning: $0) } }
    }

    /// Starts the transfer and hands the answer to `done`, on the transfer thread.
    public func send(then done: @escaping @Sendable (Response) -> Void) {
        _ = Self.globalInit
        TransferWorkers.shared.start({ handle in perform(handle) }, then: done)
    }

    /// Sends and reduces the answer to a delivery result: 2xx is delivered, anything else is an error.
    public func deliver() async -> DeliveryResult {
        Self.result(of: await send())
    }

    /// Starts the transfer and hands its delivery result to `done`, on the transfer thread.
    public func deliver(then done: @escaping @Sendable (DeliveryResult) -> Void) {
        send { done(Self.result(of: $0)) }
    }

    private static func result(of response: Response) -> DeliveryResult {
        if let error = response.error {
            return DeliveryResult(status: nil, latency: response.latency, error: error)
        }
        let status = response.status ?? 0
        let error = (200..<300).contains(status) ? nil : "HTTP \(status)"
        let retryAfter = response.headers["retry-after"].flatMap { RetrySchedule.parseRetryAfter($0, now: Date()) }
        return DeliveryResult(status: status, latency: response.latency, error: error, retryAfter: retryAfter)
    }

    private final class ResponseBody {
        var data = Data()
        var headers: [String: String] = [:]
    }

    private func perform(_ handle: UnsafeMutableRawPointer?) -> Response {
        let started = ContinuousClock.now
        guard let handle else {
            return Response(status: nil, body: Data(), latency: .zero, error: "libcurl could not start a transfer")
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }

        let received = ResponseBody()
        let context = Unmanaged.passUnretained(received).toOpaque()
        tocsin_curl_setopt_string(handle, CURLOPT_URL, url)
        tocsin_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
        tocsin_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        tocsin_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        if let certificateAuthorityFile { tocsin_curl_setopt_string(handle, CURLOPT_CAINFO, certificateAuthorityFile) }
        tocsin_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout.seconds * 1000))
        tocsin_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout.seconds * 1000))
        tocsin_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        tocsin_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let box = Unmanaged<ResponseBody>.fromOpaque(context).takeUnretainedValue()
            box.data.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        }
        tocsin_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        tocsin_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let box = Unmanaged<ResponseBody>.fromOpaque(context).takeUnretainedValue()
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
            if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                box.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return size * count
        }
        let code: CURLcode = withExtendedLifetime(received) {
            if let body {
                return body.withUnsafeBytes { bytes in
                    tocsin_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
                    tocsin_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                    return curl_easy_perform(handle)
                }
            }
            return curl_easy_perform(handle)
        }
        let latency = ContinuousClock.now - started
        guard code == CURLE_OK else {
            return Response(status: nil, body: received.data, latency: latency, error: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        tocsin_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, body: received.data, latency: latency, error: nil, headers: received.headers)
    }
}
