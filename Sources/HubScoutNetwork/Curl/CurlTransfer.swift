import CCurl
import Foundation

/// One libcurl easy transfer, run to completion on its own thread.
/// A class because it owns the C handle and is the target of libcurl's callbacks;
/// `@unchecked Sendable` is safe because its mutable state is touched only by the transfer thread
/// while it runs, except `cancelled`, which is guarded by a lock.
final class CurlTransfer: @unchecked Sendable {
    struct Options {
        var method: HTTPMethod
        var url: String
        var headers: HTTPHeaders
        var body: Data?
        var userAgent: String
        var connectTimeout: Double
        var stallTimeout: Int
        var timeout: Double?
        var decompress: Bool
        /// URL schemes libcurl may use (`https`, or `http,https` for a plain-http endpoint).
        var allowedSchemes: [String]
        /// Largest response head accepted.
        var maxHeaderBytes: Int
    }

    private static let globalInit: Bool = { ccurl_global_init() == CURLE_OK }()

    private let options: Options
    /// Decides, once the head is known, whether the body goes to `onChunk` (false: discarded, e.g. a redirect).
    private let wantsBody: @Sendable (HTTPResponse) -> Bool
    private let onChunk: @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void

    private var status = 0
    private var headerFields = HTTPHeaders()
    private var head: HTTPResponse?
    private var deliverBody = false
    private var headerBytes = 0
    private(set) var sinkError: (any Error)?
    private(set) var bytesReceived: Int64 = 0
    private let lock = NSLock()
    private var cancelledFlag = false

    init(options: Options, wantsBody: @escaping @Sendable (HTTPResponse) -> Bool,
         onChunk: @escaping @Sendable (HTTPResponse, UnsafeRawBufferPointer) throws -> Void) {
        self.options = options
        self.wantsBody = wantsBody
        self.onChunk = onChunk
    }

    func cancel() { lock.withLock { cancelledFlag = true } }
    var isCancelled: Bool { lock.withLock { cancelledFlag } }

    /// Runs the transfer on a dedicated thread (never on the cooperative pool: a blocked
    /// transfer there would starve the program on small machines) and returns the response head.
    func run() async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let thread = Thread { [self] in
                    continuation.resume(with: Result { try self.perform() })
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            self.cancel()
        }
    }

    // MARK: - Blocking part, on the transfer thread

    private func perform() throws -> HTTPResponse {
        guard Self.globalInit, let handle = curl_easy_init() else {
            throw TransportError.curl(code: -1, message: "libcurl could not be initialised", url: options.url)
        }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        _ = ccurl_easy_setopt_string(handle, CURLOPT_URL, options.url)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)   // redirects are ours, to control Authorization
        // libcurl speaks dozens of protocols (file, gopher, dict, smtp…); a URL from a server must
        // never reach any of them, whatever the code above checked.
        let schemes = options.allowedSchemes.joined(separator: ",")
        guard ccurl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, schemes) == CURLE_OK,
              ccurl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, schemes) == CURLE_OK else {
            throw TransportError.curl(code: -1, message: "this libcurl cannot restrict protocols (7.85 or newer is needed)", url: options.url)
        }
        _ = ccurl_easy_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        _ = ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, options.stallTimeout)
        if let timeout = options.timeout { _ = ccurl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000)) }
        _ = ccurl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        // Larger receive buffers mean fewer callbacks and larger disk writes for big files (the default is 16 KiB).
        _ = ccurl_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, 512 * 1024)
        // Proxies: libcurl reads http_proxy, https_proxy, all_proxy and no_proxy from the environment itself.
        if options.decompress { _ = ccurl_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "") }

        switch options.method {
        case .get: _ = ccurl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case .head: _ = ccurl_easy_setopt_long(handle, CURLOPT_NOBODY, 1)
        case .post: _ = ccurl_easy_setopt_long(handle, CURLOPT_POST, 1)
        }
        for field in options.headers {
            // A CR, LF or NUL in a header would end it early and start another: never send one.
            guard !field.name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x3A }),
                  !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw TransportError.invalidHeader(name: field.name)
            }
            headerList = curl_slist_append(headerList, "\(field.name): \(field.value)")
        }
        // libcurl adds `Expect: 100-continue` to larger POSTs; the Hub does not need it.
        if options.method == .post { headerList = curl_slist_append(headerList, "Expect:") }
        if let headerList { _ = ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }

        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_easy_setopt_header_function(handle, CurlTransfer.headerCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = ccurl_easy_setopt_write_function(handle, CurlTransfer.writeCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = ccurl_easy_setopt_xferinfo_function(handle, CurlTransfer.progressCallback)
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)

        let code: CURLcode = withExtendedLifetime(self) {
            if let body = options.body {
                return body.withUnsafeBytes { raw -> CURLcode in
                    _ = ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
                    _ = ccurl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(errorBuffer)))
                    return curl_easy_perform(handle)
                }
            }
            return curl_easy_perform(handle)
        }

        if let sinkError { throw sinkError }
        if headerBytes > options.maxHeaderBytes { throw TransportError.headersTooLarge(url: options.url, limit: options.maxHeaderBytes) }
        if code == CURLE_OK, let head { return head }
        if code == CURLE_OK {
            // A response with no header terminator (HTTP/0.9-like); build what we have.
            var status = 0
            _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return HTTPResponse(status: status, headers: headerFields, url: options.url)
        }
        throw mapError(code, message: String(cString: errorBuffer))
    }

    private func mapError(_ code: CURLcode, message rawMessage: String) -> TransportError {
        let message = rawMessage.isEmpty ? String(cString: curl_easy_strerror(code)) : rawMessage
        let url = options.url
        switch code {
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return .connectionFailed(url: url, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            if message.contains("too slow") { return .stalled(url: url, seconds: options.stallTimeout) }
            return .timedOut(url: url)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SSL_CONNECT_ERROR:
            return .connectionLost(url: url, message: message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL(url)
        default:
            return .curl(code: Int(code.rawValue), message: message, url: url)
        }
    }

    fileprivate func receiveHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            // A new response begins (after 100 Continue, or the only one).
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headerFields = HTTPHeaders()
            return
        }
        let trimmed = line.trimmingCharacters(in: .newlines)
        if trimmed.isEmpty {
            guard status >= 200 || status == 0 else { return }   // interim 1xx
            let response = HTTPResponse(status: status, headers: headerFields, url: options.url)
            head = response
            deliverBody = options.method != .head && wantsBody(response)
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        headerFields.add(name, value)
    }

    fileprivate func receiveBody(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let head else { return true }
        guard deliverBody else { return true }
        bytesReceived += Int64(buffer.count)
        do {
            try onChunk(head, buffer)
            return true
        } catch {
            sinkError = error
            return false
        }
    }

    // MARK: - C callbacks (capture nothing; state comes through the user pointer)

    private static let headerCallback: curl_write_callback = { data, size, count, user in
        guard let data, let user else { return 0 }
        let length = size * count
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        // A header bomb is cut off here: returning a short count aborts the transfer.
        transfer.headerBytes += length
        guard transfer.headerBytes <= transfer.options.maxHeaderBytes else { return 0 }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        transfer.receiveHeaderLine(line)
        return length
    }

    private static let writeCallback: curl_write_callback = { data, size, count, user in
        guard let data, let user else { return 0 }
        let length = size * count
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    private static let progressCallback: curl_xferinfo_callback = { user, _, _, _, _ in
        guard let user else { return 0 }
        return Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue().isCancelled ? 1 : 0
    }
}
