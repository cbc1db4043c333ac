import CCurl
import Foundation
import TocsinCore

/// One HTTP request sent with libcurl, and what came back.
///
/// A transfer waits for its answer on one of Tocsin's own transfer threads rather than on
/// Swift's cooperative ones (see `TransferWorkers`); callers just `await` the result.
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
        let exchange = Exchange(self)
        TransferWorkers.shared.start(TransferWorkers.Job(begin: { exchange.begin($0) }, finish: { handles in
            let response = exchange.finish(handles)
            return { done(response) }
        }))
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

    /// One request and its answer as they pass between threads: set up and sent by `begin`,
    /// driven to the end by `finish`, never both at once.
    private final class Exchange: @unchecked Sendable {
        let transfer: HTTPTransfer
        var started = ContinuousClock.now
        var headerList: UnsafeMutablePointer<curl_slist>?
        var data = Data()
        var headers: [String: String] = [:]

        init(_ transfer: HTTPTransfer) {
            self.transfer = transfer
        }

        func begin(_ handles: TransferWorkers.Handles) {
            started = ContinuousClock.now
            // Without handles there is nothing to start; `finish` says so.
            guard let handle = handles.easy, let multi = handles.multi else { return }
            for (name, value) in transfer.headers.sorted(by: { $0.key < $1.key }) {
                headerList = curl_slist_append(headerList, "\(name): \(value)")
            }
            headerList = curl_slist_append(headerList, "Expect:")
            let context = Unmanaged.passUnretained(self).toOpaque()
            tocsin_curl_setopt_string(handle, CURLOPT_URL, transfer.url)
            tocsin_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, transfer.method)
            tocsin_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
            tocsin_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            if let authorities = transfer.certificateAuthorityFile { tocsin_curl_setopt_string(handle, CURLOPT_CAINFO, authorities) }
            tocsin_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(transfer.connectTimeout.seconds * 1000))
            tocsin_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(transfer.timeout.seconds * 1000))
            tocsin_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            tocsin_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                guard let data, let context else { return 0 }
                let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
                exchange.data.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
                return size * count
            }
            tocsin_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            tocsin_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                guard let data, let context else { return 0 }
                let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    exchange.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                }
                return size * count
            }
            if let body = transfer.body {
                // Copied by libcurl: the body need not outlive this call.
                tocsin_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                body.withUnsafeBytes { bytes in
                    _ = tocsin_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS,
                                                   UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                }
            }
            curl_multi_add_handle(multi, handle)
            // As far as it goes without waiting: on an open connection, the request is sent.
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
        }

        func finish(_ handles: TransferWorkers.Handles) -> Response {
            defer { curl_slist_free_all(headerList) }
            guard let handle = handles.easy, let multi = handles.multi else {
                return Response(status: nil, body: Data(), latency: .zero, error: "libcurl could not start a transfer")
            }
            var running: Int32 = 1
            var multiCode = curl_multi_perform(multi, &running)
            while multiCode == CURLM_OK, running > 0 {
                // libcurl wakes sooner when the transfer's own timeout is nearer.
                multiCode = curl_multi_poll(multi, nil, 0, 1000, nil)
                if multiCode == CURLM_OK { multiCode = curl_multi_perform(multi, &running) }
            }
            var code = CURLE_OK
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                if message.pointee.msg == CURLMSG_DONE { code = message.pointee.data.result }
            }
            curl_multi_remove_handle(multi, handle)
            let latency = ContinuousClock.now - started
            guard multiCode == CURLM_OK else {
                return Response(status: nil, body: data, latency: latency, error: String(cString: curl_multi_strerror(multiCode)))
            }
            guard code == CURLE_OK else {
                return Response(status: nil, body: data, latency: latency, error: String(cString: curl_easy_strerror(code)))
            }
            var status = 0
            tocsin_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return Response(status: status, body: data, latency: latency, error: nil, headers: headers)
        }
    }
}
